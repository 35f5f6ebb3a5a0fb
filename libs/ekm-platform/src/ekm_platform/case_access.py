"""The caller's relation to a case, as any service other than cases asks for it.

The cases service answers ``cases.check_case_access(actor, case_number, subject=None)`` over
AMQP RPC with ``{"status": "ok" | "not_found" | "person_not_in_case", ...}`` (the same rule as
GetCase). ``require_case`` turns the answer into the platform's errors: not found (or not
visible: existence is not revealed) is ``NotFound``, a subject who is not the case's person
or a household member is ``PermissionDenied``. ``bounded`` wraps an RPC proxy's method so a
service that does not answer in time is ``Unavailable``, never an answer guessed.

Use cases take the plain callables (``check(actor, case_number) -> dict``), so unit tests
pass fakes and no broker is needed.
"""

from __future__ import annotations

from collections.abc import Callable

from ekm_platform.errors import NotFound, PermissionDenied, Unavailable

CaseCheck = Callable[..., dict]

CASE_NOT_FOUND = "Випадок не знайдено / case not found"
PERSON_NOT_IN_CASE = (
    "Особа не є особою випадку чи членом її домогосподарства / "
    "the person is not the case's person or a member of its household"
)


def require_case(check: CaseCheck, actor: dict, case_number: str, subject: dict | None = None) -> dict:
    """The ``ok`` answer of ``check``, or the error the caller must see (nothing to store then)."""
    number = (case_number or "").strip().upper()
    if not number:
        raise NotFound(CASE_NOT_FOUND)
    answer = check(actor, number) if subject is None else check(actor, number, subject)
    status = (answer or {}).get("status")
    if status == "ok":
        return answer
    if status == "person_not_in_case":
        raise PermissionDenied(PERSON_NOT_IN_CASE)
    raise NotFound(CASE_NOT_FOUND)


def bounded(call: Callable, timeout: float, service: str) -> Callable:
    """``call`` (an RPC proxy's method) with a deadline: a silent service is ``Unavailable``."""

    def bounded_call(*args):
        import eventlet

        try:
            with eventlet.Timeout(timeout):
                return call(*args)
        except eventlet.Timeout as exc:
            raise Unavailable(
                f"Служба {service} не відповідає; повторіть пізніше / the {service} service did not answer; retry later"
            ) from exc

    return bounded_call
