"""Which community an appeal goes to. Plain Python.

An appeal is never accepted without a community that the platform serves: a case opened
for nobody's community would be owned by nobody. The rule:

1. the community named in the request (``community_code``), if the platform serves it;
2. otherwise the submitter's own community (the ``community`` claim of a staff token);
3. otherwise the appeal is refused, naming ``community_code``.

A proactive appeal (a registry signal carries no address) goes to the configured outreach
community, or — in a deployment that serves one community — to that community; otherwise it
cannot be routed and the signal goes to the dead letters with the reason.
"""
from __future__ import annotations

from typing import Callable

from ekm_platform.errors import ValidationError

REQUIRED = ("потрібна громада, до якої спрямувати звернення / required: "
            "the community (КАТОТТГ) the appeal is routed to")


def community_for(requested: str, submitter_community: str, is_served: Callable[[str], bool]) -> str:
    code = requested or submitter_community
    if not code:
        raise ValidationError.single("community_code", REQUIRED)
    if not is_served(code):
        raise ValidationError.single(
            "community_code", f"громада {code} не обслуговується платформою / community {code} is not served here")
    return code


def outreach_community(configured: str, served: list[str]) -> str | None:
    if configured:
        return configured if configured in served else None
    return served[0] if len(served) == 1 else None
