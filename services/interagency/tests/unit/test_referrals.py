import pytest

from ekm_platform.errors import FailedPrecondition, NotFound, ValidationError

from interagency.adapters.orm import metadata
from interagency.adapters.repository import ReferralRepository
from interagency.domain.model import Sector
from interagency.service_layer import handlers


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("interagency", metadata, ReferralRepository)


ARGS = dict(case_number="CASE-2026-AAAAAAA", sector=Sector.HEALTH, agency_code="12345678",
            reason="Потрібна реабілітація", created_by="cm-1")


def test_referral_to_an_open_case(uow):
    with uow() as u:
        referral = handlers.create_referral(u, lambda n: True, **ARGS)
    with uow() as u:
        assert handlers.get_referral(u, referral.referral_id) == referral


def test_closed_or_unknown_case_is_a_failed_precondition(uow):
    with uow() as u, pytest.raises(FailedPrecondition):
        handlers.create_referral(u, lambda n: False, **ARGS)


@pytest.mark.parametrize("change, field", [({"sector": None}, "sector"), ({"agency_code": "12"}, "agency_code"),
                                           ({"reason": ""}, "reason"), ({"reason": "я" * 3000}, "reason"),
                                           ({"case_number": ""}, "case_number")])
def test_invalid_referrals_name_the_field(uow, change, field):
    with uow() as u, pytest.raises(ValidationError) as caught:
        handlers.create_referral(u, lambda n: True, **{**ARGS, **change})
    assert field in {v.field for v in caught.value.violations}


def test_idempotent_by_client_request_id_and_not_found(uow):
    with uow() as u:
        first = handlers.create_referral(u, lambda n: True, client_request_id="r-1", **ARGS)
    with uow() as u:
        assert handlers.create_referral(u, lambda n: True, client_request_id="r-1", **ARGS) == first
        with pytest.raises(NotFound):
            handlers.get_referral(u, "nope")


def test_a_partner_agency_sees_only_referrals_addressed_to_it(uow):
    with uow() as u:
        referral = handlers.create_referral(u, lambda n: True, **ARGS)
    with uow() as u:
        assert handlers.get_referral(u, referral.referral_id, agency_code="12345678") == referral
        with pytest.raises(NotFound):
            handlers.get_referral(u, referral.referral_id, agency_code="87654321")
