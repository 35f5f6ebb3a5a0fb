"""Resolving recipients' contacts over AMQP RPC: intake knows an applicant's, cases a person's.
One call per batch of recipients (one round trip, not one per recipient)."""

from __future__ import annotations

import eventlet
from nameko.exceptions import RemoteError

from notifications.service_layer.dispatch import ContactUnavailable


def rpc_resolver(intake, cases, timeout: float):
    """``resolve(kind, ids) -> {id: contact | None | ContactUnavailable}`` over the service's RPC proxies:
    one call per batch (``intake.get_applicant_contacts``, ``cases.get_person_contacts``)."""

    def resolve(kind: str, ids: list) -> dict:
        method = {"applicant": lambda: intake.get_applicant_contacts, "person": lambda: cases.get_person_contacts}.get(
            kind
        )
        if method is None:
            return {i: None for i in ids}
        try:
            with eventlet.Timeout(timeout):
                answers = method()(list(ids)) or {}
        except eventlet.Timeout:
            return {i: ContactUnavailable("timeout") for i in ids}
        except RemoteError as exc:
            return {i: ContactUnavailable(exc.exc_type) for i in ids}
        return {i: answers.get(i) if i in answers else ContactUnavailable("no answer") for i in ids}

    return resolve
