import pytest
from sqlalchemy import func, select

from ekm_platform.auth import Principal
from ekm_platform.errors import AlreadyExists, FailedPrecondition, NotFound, Unavailable, ValidationError
from interagency.adapters.orm import audit_log, metadata, referrals
from interagency.adapters.repository import ReferralRepository
from interagency.domain.model import Sector
from interagency.service_layer import handlers

CASE = "CASE-2026-AAAAAAA"
OTHER_CASE = "CASE-2026-BBBBBBB"
CM = Principal("cm-1", "case_manager", "UA80000000000093317")
OTHER_CM = Principal("cm-2", "case_manager", "UA80000000000093317")
SUPERVISOR = Principal("sv-1", "supervisor", "UA80000000000093317")
OPERATOR = Principal("op-1", "operator")
AGENCY = Principal("pa-1", "partner_agency", organisation="12345678")
OTHER_AGENCY = Principal("pa-2", "partner_agency", organisation="87654321")


class FakeCases:
    """``cases.check_case_access`` as the contract says: cm-1 owns CASE, sv-1 supervises cm-1,
    an operator sees identifiers of every case; anybody else gets not_found."""

    def __init__(self, stage="assessment"):
        self.stage, self.calls = stage, []

    def __call__(self, actor, case_number, subject=None):
        self.calls.append((actor, case_number))
        cases = {CASE: {"owner": "cm-1", "supervisor": "sv-1"}, OTHER_CASE: {"owner": "cm-2", "supervisor": "sv-2"}}
        case = cases.get(case_number)
        visible = case and (actor["role"] == "operator" or actor["user_id"] in (case["owner"], case["supervisor"]))
        if not visible:
            return {"status": "not_found"}
        return {
            "status": "ok",
            "case_id": f"id-{case_number}",
            "case_number": case_number,
            "stage": self.stage,
            "person_id": "p-1",
            "is_case_person": True,
            "identifiers_only": actor["role"] == "operator",
        }


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("interagency", metadata, ReferralRepository)
    from interagency.service_layer.agencies import register_agency

    for code, sector in (("12345678", "health"), ("87654321", "employment")):
        with factory() as u:
            register_agency(
                u,
                {
                    "agency_code": code,
                    "name": f"Установа {code}",
                    "sector": sector,
                    "community_code": "UA80000000000093317",
                },
            )
    return factory


ARGS = dict(case_number=CASE, sector=Sector.HEALTH, agency_code="12345678", reason="Потрібна реабілітація")


def stored(uow):
    with uow() as u:
        return (
            u.session.execute(select(func.count()).select_from(referrals)).scalar(),
            u.session.execute(select(func.count()).select_from(u._tables["outbox"])).scalar(),
            u.session.execute(
                select(audit_log.c.actor_id, audit_log.c.action, audit_log.c.subject_id, audit_log.c.details).order_by(
                    audit_log.c.seq
                )
            ).all(),
        )


# --- denied first -----------------------------------------------------------------------------


@pytest.mark.parametrize("caller, number", [(OTHER_CM, CASE), (CM, OTHER_CASE), (CM, "CASE-2026-ZZZZZZZ")])
def test_a_referral_of_another_managers_case_or_an_unknown_case_is_not_found_and_nothing_is_stored(uow, caller, number):
    with uow() as u, pytest.raises(NotFound) as caught:
        handlers.create_referral(u, FakeCases(), caller, **{**ARGS, "case_number": number})
    assert caught.value.message == "Випадок не знайдено / case not found"
    assert stored(uow) == (0, 0, [])


def test_the_caller_crosses_the_rpc_as_an_actor_not_as_a_token(uow):
    cases = FakeCases()
    with uow() as u, pytest.raises(NotFound):
        handlers.create_referral(u, cases, OTHER_CM, **ARGS)
    assert cases.calls == [(OTHER_CM.as_actor(), CASE)]


def test_a_client_request_id_of_another_callers_referral_is_refused_not_returned(uow):
    with uow() as u:
        handlers.create_referral(u, FakeCases(), CM, client_request_id="r-1", **ARGS)
    with uow() as u, pytest.raises(NotFound):  # the other manager may not see the case at all
        handlers.create_referral(u, FakeCases(), OTHER_CM, client_request_id="r-1", **ARGS)
    with uow() as u, pytest.raises(AlreadyExists):  # the supervisor may, but it is not their request
        handlers.create_referral(u, FakeCases(), SUPERVISOR, client_request_id="r-1", **ARGS)
    assert stored(uow)[0] == 1


def test_a_closed_case_is_a_failed_precondition_and_nothing_is_stored(uow):
    with uow() as u, pytest.raises(FailedPrecondition):
        handlers.create_referral(u, FakeCases(stage="closed"), CM, **ARGS)
    assert stored(uow) == (0, 0, [])


def test_a_silent_cases_service_is_unavailable_and_nothing_is_stored(uow):
    def silent(actor, case_number):
        raise Unavailable("Служба cases не відповідає / the cases service did not answer")

    with uow() as u, pytest.raises(Unavailable):
        handlers.create_referral(u, silent, CM, **ARGS)
    assert stored(uow) == (0, 0, [])


@pytest.mark.parametrize(
    "reader", [OTHER_CM, Principal("sv-2", "supervisor"), OTHER_AGENCY, Principal("pa-0", "partner_agency")]
)
def test_a_referral_is_not_found_for_whoever_may_not_see_it(uow, reader):
    with uow() as u:
        referral = handlers.create_referral(u, FakeCases(), CM, **ARGS)
    with uow() as u, pytest.raises(NotFound) as caught:
        handlers.get_referral(u, FakeCases(), reader, referral.referral_id)
    assert caught.value.message == "Направлення не знайдено / referral not found"
    assert [row.action for row in stored(uow)[2]] == ["referral.create"]  # a refused read leaves no read entry


# --- allowed ----------------------------------------------------------------------------------


def test_a_referral_of_the_managers_own_case_is_stored_published_and_audited(uow):
    with uow() as u:
        referral = handlers.create_referral(u, FakeCases(), CM, **ARGS)
    assert referral.created_by == "cm-1" and referral.case_number == CASE
    count, events, entries = stored(uow)
    assert (count, events) == (1, 1)
    [(actor, action, subject, details)] = entries
    assert (actor, action, subject) == ("cm-1", "referral.create", referral.referral_id)
    assert "реабілітація" not in details and CASE in details  # identifiers only, never the reason


@pytest.mark.parametrize("reader", [CM, SUPERVISOR, OPERATOR, AGENCY])
def test_the_manager_their_supervisor_an_operator_and_the_addressed_agency_read_it_and_it_is_audited(uow, reader):
    with uow() as u:
        referral = handlers.create_referral(u, FakeCases(), CM, **ARGS)
    with uow() as u:
        read = handlers.get_referral(u, FakeCases(), reader, referral.referral_id)
        if reader.role == "operator":  # identifiers, states and dates only
            assert (read.referral_id, read.state, read.reason) == (referral.referral_id, referral.state, "")
        else:
            assert read == referral
    *_, (actor, action, subject, _) = stored(uow)[2]
    assert (actor, action, subject) == (reader.user_id, "referral.read", referral.referral_id)


def test_a_supervisor_refers_a_case_of_their_team(uow):
    with uow() as u:
        assert handlers.create_referral(u, FakeCases(), SUPERVISOR, **ARGS).created_by == "sv-1"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"sector": Sector.EDUCATION}, "sector"),
        ({"agency_code": "11111111"}, "agency_code"),
        ({"agency_code": "12"}, "agency_code"),
        ({"reason": ""}, "reason"),
        ({"reason": "я" * 3000}, "reason"),
        ({"case_number": ""}, "case_number"),
    ],
)
def test_invalid_referrals_name_the_field(uow, change, field):
    with uow() as u, pytest.raises(ValidationError) as caught:
        handlers.create_referral(u, FakeCases(), CM, **{**ARGS, **change})
    assert field in {v.field for v in caught.value.violations}


def test_idempotent_by_client_request_id_and_not_found(uow):
    with uow() as u:
        first = handlers.create_referral(u, FakeCases(), CM, client_request_id="r-1", **ARGS)
    with uow() as u:
        assert handlers.create_referral(u, FakeCases(), CM, client_request_id="r-1", **ARGS) == first
        with pytest.raises(NotFound):
            handlers.get_referral(u, FakeCases(), CM, "nope")
    assert stored(uow)[:2] == (1, 1)
