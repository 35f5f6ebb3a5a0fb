"""ListDeliveries checks the caller's relation to the appeal's case, not only the role."""

import pytest
from sqlalchemy import select

from ekm_platform.auth import Principal
from ekm_platform.errors import NotFound, Unavailable, ValidationError
from notifications.adapters.orm import audit_log, metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.delivery import Delivery
from notifications.service_layer import handlers

CASE = "CASE-2026-AAAAAAA"
CM = Principal("cm-1", "case_manager", "UA80000000000093317")
OTHER_CM = Principal("cm-2", "case_manager", "UA80000000000093317")
SUPERVISOR = Principal("sv-1", "supervisor", "UA80000000000093317")
OTHER_SUPERVISOR = Principal("sv-2", "supervisor", "UA80000000000093317")
OPERATOR = Principal("op-1", "operator")

APPEALS = {"a-1": CASE, "a-nocase": None}  # intake.appeal_case_number


class FakeCases:
    """``cases.check_case_access``: cm-1 owns CASE, sv-1 supervises cm-1, an operator sees identifiers."""

    def __init__(self):
        self.calls = []

    def __call__(self, actor, case_number, subject=None):
        self.calls.append((actor, case_number))
        if case_number != CASE or actor["user_id"] not in ("cm-1", "sv-1", "op-1"):
            return {"status": "not_found"}
        return {
            "status": "ok",
            "case_id": "case-id-1",
            "case_number": CASE,
            "stage": "assessment",
            "person_id": "p-1",
            "is_case_person": True,
            "identifiers_only": actor["role"] == "operator",
        }


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("notifications", metadata, DeliveryRepository)
    with factory() as u:
        for reference in ("a-1", "a-nocase", "case-id-1"):
            u.repo.add(
                Delivery(
                    reference=reference,
                    template="appeal.accepted",
                    channel="sms",
                    status="sent",
                    recipient_masked="+380*****01",
                    locale="uk",
                    purpose=f"p-{reference}",
                )
            )
        u.commit()
    return factory


def listing(uow, reference, principal, cases=None):
    with uow() as u:
        return handlers.deliveries_for(reference, principal, u, APPEALS.get, cases or FakeCases())


def audit_rows(uow):
    with uow() as u:
        return u.session.execute(
            select(audit_log.c.actor_id, audit_log.c.action, audit_log.c.subject_id, audit_log.c.details).order_by(
                audit_log.c.seq
            )
        ).all()


# --- denied first -----------------------------------------------------------------------------


@pytest.mark.parametrize("caller", [OTHER_CM, OTHER_SUPERVISOR])
def test_another_managers_appeal_is_not_found(uow, caller):
    cases = FakeCases()
    with pytest.raises(NotFound) as caught:
        listing(uow, "a-1", caller, cases)
    assert caught.value.message == handlers.NOT_FOUND
    assert cases.calls == [(caller.as_actor(), CASE)]  # the caller crosses the RPC, not the token
    assert audit_rows(uow) == []


@pytest.mark.parametrize("reference", ["a-nocase", "a-unknown"])
def test_an_appeal_without_a_case_or_unknown_is_not_found_for_staff(uow, reference):
    with pytest.raises(NotFound):
        listing(uow, reference, CM)


@pytest.mark.parametrize("reference", [CASE, "CASE-2026-ZZZZZZZ"])
def test_a_case_number_the_caller_may_not_see_is_not_found(uow, reference):
    with pytest.raises(NotFound):
        listing(uow, reference, OTHER_CM)


def test_a_silent_service_is_unavailable(uow):
    def silent(*args):
        raise Unavailable("Служба cases не відповідає / the cases service did not answer")

    with pytest.raises(Unavailable):
        listing(uow, "a-1", CM, silent)


@pytest.mark.parametrize("reference", ["", "   ", "x" * 65])
def test_a_missing_or_overlong_reference_names_the_field(uow, reference):
    with pytest.raises(ValidationError) as caught:
        listing(uow, reference, CM)
    assert [v.field for v in caught.value.violations] == ["reference"]


# --- allowed ----------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", [CM, SUPERVISOR])
def test_the_cases_manager_and_their_supervisor_see_the_masked_log_and_the_read_is_audited(uow, caller):
    [delivery] = listing(uow, "a-1", caller)
    assert (delivery.reference, delivery.recipient_masked) == ("a-1", "+380*****01")
    [(actor, action, subject, details)] = audit_rows(uow)
    assert (actor, action, subject) == (caller.user_id, "deliveries.read", "a-1")
    assert CASE in details and delivery.delivery_id in details and "+380" not in details


def test_a_case_number_gives_what_was_sent_about_the_case(uow):
    assert [d.reference for d in listing(uow, CASE.lower(), CM)] == ["case-id-1"]


@pytest.mark.parametrize("reference", ["a-1", "a-nocase", CASE])
def test_an_operator_sees_identifiers_and_statuses_only(uow, reference):
    found = listing(uow, reference, OPERATOR)
    assert found and all(d.recipient_masked == "" and d.status == "sent" and d.delivery_id for d in found)
    assert audit_rows(uow)[-1][:2] == ("op-1", "deliveries.read")
