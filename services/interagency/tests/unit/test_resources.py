"""Resource bank, donor cabinet and state reports through the service layer (SQLite, fakes for cases)."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from ekm.cases.v1 import cases_pb2
from ekm_platform.auth import Principal
from ekm_platform.codes import CodeList
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError
from interagency.adapters.orm import audit_log, metadata, resource_bookings
from interagency.adapters.repository import ReferralRepository
from interagency.domain.resources import SERVICE_TYPES, VETERAN_STATUSES, Eligibility
from interagency.service_layer import resources

COMMUNITY = "UA80000000000093317"
OTHER_REGION = "UA46000000000026241"
TODAY = date(2026, 12, 3)
CM = Principal("cm-1", "case_manager", COMMUNITY)
OTHER_CM = Principal("cm-2", "case_manager", COMMUNITY)
DONOR = Principal("d-1", "donor", organisation="fund-1")
OTHER_DONOR = Principal("d-2", "donor", organisation="fund-2")
OPERATOR = Principal("op-1", "operator")
SV = Principal("sv-1", "supervisor", COMMUNITY)


class FakeCases:
    """cases.case_needs / check_case_access / community_needs: cm-1 and sv-1 see CASE-…-0..99."""

    def __init__(self, age=38, veteran=("combatant",), community=COMMUNITY):
        self.age, self.veteran, self.community = age, veteran, community

    def needs(self, actor, case_number):
        if actor["user_id"] not in ("cm-1", "sv-1") or not case_number.startswith("CASE-2026-"):
            return {"status": "not_found"}
        return {
            "status": "ok",
            "case_number": case_number,
            "community_code": self.community,
            "needs": [
                {"service_type": "rehabilitation", "source": "assessment", "domains": ["health"]},
                {"service_type": "consultation", "source": "assessment", "domains": []},
            ],
            "veteran_statuses": list(self.veteran),
            "disability_group": 0,
            "age_years": self.age,
        }

    def access(self, actor, case_number, subject=None):
        return {"status": "ok"} if self.needs(actor, case_number)["status"] == "ok" else {"status": "not_found"}


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("interagency", metadata, ReferralRepository)


def offer(uow, principal=DONOR, **changes):
    args = dict(
        offerer_kind="",
        offerer_name="Фонд",
        title="Курс реабілітації",
        service_type="rehabilitation",
        community_code=COMMUNITY,
        region="",
        capacity=3,
        valid_from="2026-12-01",
        valid_until="2027-01-31",
        eligibility=Eligibility(veteran_statuses=("combatant",)),
    )
    args.update(changes)
    with uow() as u:
        return resources.create_offer(u, principal, today=TODAY, **args)


def book(uow, case_number, offer_id, principal=CM, cases=None, **kw):
    with uow() as u:
        return resources.book_resource(
            u, (cases or FakeCases()).needs, principal, offer_id, case_number, today=TODAY, **kw
        )


def count(uow, table):
    with uow() as u:
        return u.session.execute(select(func.count()).select_from(table)).scalar()


# --- denied first -----------------------------------------------------------------------------


def test_a_donor_sees_and_withdraws_only_its_own_offers(uow):
    mine = offer(uow)
    with uow() as u, pytest.raises(NotFound):
        resources.get_offer(u, OTHER_DONOR, mine.offer_id)
    with uow() as u, pytest.raises(NotFound):
        resources.withdraw_offer(u, OTHER_DONOR, mine.offer_id)
    with uow() as u:
        assert resources.list_offers(u, OTHER_DONOR) == []
        assert [o.offer_id for o in resources.list_offers(u, DONOR)] == [mine.offer_id]
    with uow() as u, pytest.raises(NotFound):
        resources.donor_report(u, OTHER_DONOR, mine.offer_id)


def test_booking_for_a_case_the_caller_may_not_see_is_not_found_and_takes_no_place(uow):
    o = offer(uow)
    with pytest.raises(NotFound):
        book(uow, "CASE-2026-AAAAAAA", o.offer_id, principal=OTHER_CM)
    with pytest.raises(PermissionDenied):
        book(uow, "CASE-2026-AAAAAAA", o.offer_id, principal=OPERATOR)
    with pytest.raises(PermissionDenied):
        book(uow, "CASE-2026-AAAAAAA", o.offer_id, principal=DONOR)
    with uow() as u:
        assert resources.get_offer(u, DONOR, o.offer_id).remaining == 3
    assert count(uow, resource_bookings) == 0


def test_a_donor_cannot_offer_as_a_community_nor_a_case_manager_at_all(uow):
    with pytest.raises(ValidationError) as caught:
        offer(uow, offerer_kind="community")
    assert caught.value.violations[0].field == "offerer_kind"
    with pytest.raises(PermissionDenied):
        offer(uow, principal=CM)


def test_a_bad_offer_names_every_field_and_stores_nothing(uow):
    with pytest.raises(ValidationError) as caught:
        offer(
            uow,
            title=" ",
            service_type="spa",
            community_code="UA8",
            capacity=0,
            valid_from="2026-13-01",
            valid_until="2026-11-01",
            eligibility=Eligibility(veteran_statuses=("hero",), age_bands=("20-30",), disability_groups=(4,)),
        )
    fields = {v.field for v in caught.value.violations}
    assert {
        "title",
        "service_type",
        "community_code",
        "capacity",
        "valid_from",
        "eligibility.veteran_statuses",
        "eligibility.age_bands",
        "eligibility.disability_groups",
    } <= fields
    assert all(" / " in v.description for v in caught.value.violations)
    assert count(uow, audit_log) == 0


def test_reports_refuse_k_below_five_and_the_wrong_roles(uow):
    with uow() as u, pytest.raises(ValidationError):
        resources.donor_report(u, DONOR, k=3)
    with uow() as u, pytest.raises(PermissionDenied):
        resources.donor_report(u, CM)
    with uow() as u, pytest.raises(PermissionDenied):
        resources.community_needs_report(u, lambda *a: {"status": "ok", "rows": []}, DONOR)
    with uow() as u, pytest.raises(PermissionDenied):
        resources.community_needs_report(u, lambda *a: {"status": "ok", "rows": []}, CM)


# --- matching and booking ---------------------------------------------------------------------


def test_needs_are_matched_with_reasons_and_unmet_conditions_named(uow):
    o = offer(uow)
    offer(uow, title="Лише для 60+", eligibility=Eligibility(age_bands=("60+",)))
    offer(uow, title="Інший регіон", community_code=OTHER_REGION)
    with uow() as u:
        profile, matches = resources.match_resources(u, FakeCases().needs, CM, "CASE-2026-AAAAAAA", today=TODAY)
    assert [(m.offer.title, m.eligible) for m in matches] == [("Курс реабілітації", True), ("Лише для 60+", False)]
    codes = {r.code for r in matches[0].reasons}
    assert {"need", "place", "capacity", "valid", "veteran_status"} <= codes
    assert matches[1].missing[0].code == "age_band" and "35-59" in matches[1].missing[0].text
    assert matches[0].offer.offer_id == o.offer_id


def test_booking_takes_a_place_and_the_last_place_only_once(uow):
    o = offer(uow, capacity=2)
    booking, left = book(uow, "CASE-2026-AAAAAAA", o.offer_id)
    assert left == 1 and booking.age_band == "35-59" and booking.community_code == COMMUNITY
    book(uow, "CASE-2026-BBBBBBB", o.offer_id)
    with pytest.raises(FailedPrecondition) as caught:
        book(uow, "CASE-2026-CCCCCCC", o.offer_id)
    assert caught.value.message == "Вільних місць немає / no places left"
    assert count(uow, resource_bookings) == 2


def test_threads_racing_for_places_get_exactly_the_capacity(uow):
    o = offer(uow, capacity=5)
    outcomes = []

    def one(n):
        try:
            book(uow, f"CASE-2026-{n:07d}", o.offer_id)
            outcomes.append("ok")
        except FailedPrecondition:
            outcomes.append("full")

    threads = [threading.Thread(target=one, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 5 and outcomes.count("full") == 15
    with uow() as u:
        assert resources.get_offer(u, DONOR, o.offer_id).remaining == 0
    assert count(uow, resource_bookings) == 5


def test_a_retry_with_the_same_request_id_is_the_same_booking(uow):
    o = offer(uow)
    first, _ = book(uow, "CASE-2026-AAAAAAA", o.offer_id, client_request_id="r-1")
    again, left = book(uow, "CASE-2026-AAAAAAA", o.offer_id, client_request_id="r-1")
    assert again.booking_id == first.booking_id and left == 2
    with pytest.raises(FailedPrecondition):
        book(uow, "CASE-2026-BBBBBBB", o.offer_id, client_request_id="r-1")


def test_ineligible_expired_or_withdrawn_offers_are_failed_precondition(uow):
    o = offer(uow)
    with pytest.raises(FailedPrecondition) as caught:
        book(uow, "CASE-2026-AAAAAAA", o.offer_id, cases=FakeCases(veteran=()))
    assert "combatant" in caught.value.message
    with pytest.raises(FailedPrecondition):
        book(uow, "CASE-2026-AAAAAAA", o.offer_id, cases=FakeCases(community=OTHER_REGION))
    with uow() as u:
        resources.withdraw_offer(u, DONOR, o.offer_id)
    with pytest.raises(FailedPrecondition) as caught:
        book(uow, "CASE-2026-AAAAAAA", o.offer_id)
    assert "no longer valid" in caught.value.message
    assert count(uow, resource_bookings) == 0


def test_cancelling_gives_the_place_back_once(uow):
    o = offer(uow, capacity=1)
    booking, _ = book(uow, "CASE-2026-AAAAAAA", o.offer_id)
    with uow() as u, pytest.raises(NotFound):
        resources.cancel_booking(u, FakeCases().access, OTHER_CM, booking.booking_id)
    with uow() as u:
        resources.cancel_booking(u, FakeCases().access, CM, booking.booking_id)
    with uow() as u, pytest.raises(FailedPrecondition):
        resources.cancel_booking(u, FakeCases().access, CM, booking.booking_id)
    book(uow, "CASE-2026-BBBBBBB", o.offer_id)


# --- reports ------------------------------------------------------------------------------------


def test_the_donor_report_shows_only_groups_of_at_least_k_and_no_case_numbers(uow):
    o = offer(uow, capacity=100, eligibility=Eligibility())
    for n in range(12):
        book(uow, f"CASE-2026-A{n:06d}", o.offer_id, cases=FakeCases(age=40))
    for n in range(2):  # two young people: a group smaller than k
        book(uow, f"CASE-2026-B{n:06d}", o.offer_id, cases=FakeCases(age=20))
    with uow() as u:
        table, offers = resources.donor_report(u, DONOR)
    assert offers == 1 and table.total == 14
    assert all(n == 0 or n >= 5 for n in table.published_counts())
    assert [c.label for c in table.columns] == ["18-34, 35-59"]
    assert "CASE-2026" not in repr(table)


def test_the_community_needs_report_counts_needs_and_unmet_ones_by_region(uow):
    o = offer(uow, capacity=100, eligibility=Eligibility())
    rows = [
        [f"CASE-2026-A{n:06d}", COMMUNITY, 40, ["consultation", "rehabilitation"], ["consultation"]] for n in range(8)
    ]
    rows += [[f"CASE-2026-B{n:06d}", OTHER_REGION, 70, ["home_care"], []] for n in range(6)]
    for n in range(3):
        book(uow, f"CASE-2026-A{n:06d}", o.offer_id)
    seen = []

    def community_needs(actor, community_code, region):
        seen.append((actor["role"], community_code, region))
        return {"status": "ok", "rows": rows}

    with uow() as u:
        needs, unmet, _ = resources.community_needs_report(u, community_needs, OPERATOR)
    assert [r.label for r in needs.rows] == ["UA46", "UA80"] and seen == [("operator", "", "")]
    labels = [c.label for c in needs.columns]
    assert needs.cells[1][labels.index("rehabilitation")] == 8
    assert needs.cells[0][labels.index("home_care")] == 6
    unmet_labels = [c.label for c in unmet.columns]
    assert "consultation" not in unmet_labels  # planned for all: nobody unmet
    assert unmet.cells[[r.label for r in unmet.rows].index("UA80")][unmet_labels.index("rehabilitation")] == 5
    for table in (needs, unmet):
        assert all(n == 0 or n >= 5 for n in table.published_counts())


def test_code_lists_equal_the_cases_enums():
    assert SERVICE_TYPES == CodeList(cases_pb2.ServiceType).codes
    assert VETERAN_STATUSES == CodeList(cases_pb2.VeteranStatus).codes
