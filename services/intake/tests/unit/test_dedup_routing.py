"""Routing over КАТОТТГ (community, provider, the region's queue), near-duplicate appeals merged,
and the manual review of uncertain person matches — denied cases first."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError
from intake.adapters.orm import appeals, audit_log, metadata
from intake.adapters.repository import AppealRepository
from intake.domain.dedup import DuplicatePolicy
from intake.domain.model import AppealState, Channel, PersonData
from intake.domain.routing import Address
from intake.service_layer import dedup, handlers, routing

KYIV = "UA80000000000093317"
BUCHA = "UA32080070000050759"  # Бучанська громада, Київська область
IRPIN = "UA32080150000035443"
BORYSPIL = "UA32040010000010116"  # Київська область, not served
KYIV_OBLAST = "UA32000000000030281"
BUCHA_CITY = "UA32080070010087821"
VORZEL = "UA32080070030073716"  # a settlement of the Бучанська громада with its own provider
LVIV_CITY_COMMUNITY = "UA46060250000025047"

CM = Principal("cm-1", "case_manager", KYIV)
CM_BUCHA = Principal("cm-b", "case_manager", BUCHA)
SV_BUCHA = Principal("sv-b", "supervisor", BUCHA)
SV_IRPIN = Principal("sv-i", "supervisor", IRPIN)
SV_KYIV = Principal("sv-k", "supervisor", KYIV)
OPERATOR = Principal("op-1", "operator", BUCHA)


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("intake", metadata, AppealRepository)
    with factory() as u:
        routing.register_community(
            u,
            BUCHA,
            "Бучанська",
            [
                {"code": "BUCHA-CNSP", "name": "ЦНСП Бучанської МР", "default": True},
                {"code": "VORZEL-SSO", "name": "Ворзель", "settlements": [VORZEL]},
            ],
        )
    with factory() as u:
        routing.register_community(
            u, IRPIN, "Ірпінська", [{"code": "IRPIN-CNSP", "name": "ЦНСП Ірпінь", "default": True}]
        )
    return factory


def submit(uow, submission, principal=CM):
    with uow() as u:
        return handlers.submit_appeal(submission, u, principal)


def stored(uow, appeal_id):
    with uow() as u:
        return u.repo.get(appeal_id)


def outbox(uow):
    with uow() as u:
        table = metadata.tables["outbox"]
        return [
            (r.event_type, json.loads(r.payload)["data"])
            for r in u.session.execute(select(table).order_by(table.c.seq))
        ]


def audits(uow, action):
    with uow() as u:
        return [dict(e) for e in u.session.execute(select(audit_log).where(audit_log.c.action == action)).mappings()]


# --- routing -----------------------------------------------------------------------------------


def test_the_actual_address_routes_to_its_community_and_provider(uow, valid):
    appeal = submit(
        uow,
        replace(
            valid,
            community_code="",
            actual_address=Address(katottg=BUCHA_CITY),
            registered_address=Address(katottg=LVIV_CITY_COMMUNITY),
        ),
    )
    assert (appeal.submission.community_code, appeal.provider_code, appeal.routing_basis, appeal.region_code) == (
        BUCHA,
        "BUCHA-CNSP",
        "actual_address",
        KYIV_OBLAST,
    )
    assert outbox(uow)[-1][1]["provider_code"] == "BUCHA-CNSP"


def test_a_settlement_with_its_own_provider_and_names_instead_of_codes(uow, valid):
    appeal = submit(
        uow,
        replace(
            valid,
            community_code="",
            registered_address=Address(region="Київська область", settlement="смт Ворзель", street="вул. Курортна, 1"),
        ),
    )
    assert (appeal.submission.community_code, appeal.provider_code, appeal.routing_basis) == (
        BUCHA,
        "VORZEL-SSO",
        "registered_address",
    )
    assert stored(uow, appeal.appeal_id).submission.registered_address.street == "вул. Курортна, 1"


def test_the_requested_community_comes_first_and_the_submitters_last(uow, valid):
    assert (
        submit(
            uow, replace(valid, community_code=IRPIN, actual_address=Address(katottg=BUCHA_CITY))
        ).submission.community_code
        == IRPIN
    )
    assert submit(uow, replace(valid, community_code="", description="інше")).routing_basis == "submitter"


def test_an_unserved_community_of_a_served_region_goes_to_the_regions_queue(uow, valid):
    appeal = submit(uow, replace(valid, community_code="", actual_address=Address(katottg=BORYSPIL)))
    assert appeal.state is AppealState.REGION_QUEUE and appeal.submission.community_code == ""
    assert appeal.region_code == KYIV_OBLAST and "не обслуговується" in appeal.routing_reason
    kinds = [k for k, _ in outbox(uow)]
    assert "appeal.region_queued" in kinds and "appeal.accepted" not in kinds  # no case for nobody's community
    queued = submit(uow, replace(valid, community_code=BORYSPIL, description="ще одне, інше прохання"))
    assert queued.state is AppealState.REGION_QUEUE  # a requested community not served: its region's queue


def test_unroutable_appeals_are_refused_naming_the_field(uow, valid):
    cases = [
        (replace(valid, community_code=LVIV_CITY_COMMUNITY), "community_code"),  # region not served
        (replace(valid, community_code="UA99999999999999999"), "community_code"),  # not in КАТОТТГ
        (
            replace(valid, community_code="", actual_address=Address(katottg="UA00000000000000000")),
            "actual_address.katottg",
        ),
        (
            replace(valid, community_code="", registered_address=Address(region="Нарнія", settlement="X")),
            "registered_address.region",
        ),
    ]
    for submission, field in cases:
        with pytest.raises(ValidationError) as caught:
            submit(uow, submission)
        assert [v.field for v in caught.value.violations] == [field], caught.value.message
    with pytest.raises(ValidationError) as caught:
        submit(
            uow, replace(valid, community_code="", channel=Channel.RECIPIENT_CABINET), Principal("r-1", "recipient")
        )  # no code, no address, no community of their own
    assert [v.field for v in caught.value.violations] == ["community_code"]
    with uow() as u:
        assert u.session.execute(select(appeals)).first() is None


def test_the_region_queue_is_for_supervisors_of_that_region(uow, valid):
    appeal = submit(uow, replace(valid, community_code="", actual_address=Address(katottg=BORYSPIL)))
    with uow() as u, pytest.raises(PermissionDenied):
        routing.region_queue(u, CM_BUCHA)
    with uow() as u, pytest.raises(NotFound):
        routing.region_queue(u, SV_KYIV, KYIV_OBLAST)  # Kyiv city is its own region
    with uow() as u, pytest.raises(NotFound):
        routing.assign_from_queue(u, SV_KYIV, appeal.appeal_id, KYIV)
    with uow() as u:
        assert routing.region_queue(u, SV_KYIV)[0] == []
    with uow() as u:
        listed, names = routing.region_queue(u, SV_BUCHA)
    assert [a.appeal_id for a in listed] == [appeal.appeal_id] and names[KYIV_OBLAST] == "Київська"
    assert names[BORYSPIL] == "Бориспільська"
    assert audits(uow, "region_queue.read")[-1]["actor_id"] == "sv-b"


def test_a_supervisor_routes_a_queued_appeal_to_a_served_community_of_the_region(uow, valid):
    appeal = submit(uow, replace(valid, community_code="", actual_address=Address(katottg=BORYSPIL)))
    for bad in (KYIV, BORYSPIL, ""):  # another region's, not served, none
        with uow() as u, pytest.raises(ValidationError) as caught:
            routing.assign_from_queue(u, SV_IRPIN, appeal.appeal_id, bad)
        assert caught.value.violations[0].field == "community_code"
    with uow() as u:
        moved = routing.assign_from_queue(u, SV_IRPIN, appeal.appeal_id, BUCHA, "найближча громада")
    assert (moved.state, moved.submission.community_code, moved.provider_code, moved.routing_basis) == (
        AppealState.ACCEPTED,
        BUCHA,
        "BUCHA-CNSP",
        "assigned",
    )
    assert outbox(uow)[-1][0] == "appeal.accepted" and outbox(uow)[-1][1]["community_code"] == BUCHA
    assert audits(uow, "appeal.route")[-1]["actor_id"] == "sv-i"
    with uow() as u, pytest.raises(FailedPrecondition):
        routing.assign_from_queue(u, SV_IRPIN, appeal.appeal_id, BUCHA)


def test_register_community_needs_a_katottg_community(uow):
    with uow() as u, pytest.raises(ValidationError):
        routing.register_community(u, BUCHA_CITY, "місто, не громада", [])


# --- near-duplicates ---------------------------------------------------------------------------


def test_the_same_request_again_is_merged_into_the_first_appeal(uow, valid):
    first = submit(uow, replace(valid, description="Потрібна реабілітація після поранення"))
    again = submit(
        uow, replace(valid, description="потрібна реабілітація після поранення!", applicant_phone="+380501110009")
    )
    assert again.state is AppealState.MERGED and again.merged_into == first.appeal_id
    assert again.merged_into_tracking == first.tracking_number and again.appeal_id != first.appeal_id
    kinds = [k for k, _ in outbox(uow)]
    assert kinds.count("appeal.accepted") == 1 and kinds[-1] == "appeal.merged"
    with uow() as u:
        assert [m.appeal_id for m in u.repo.merged_into(first.appeal_id)] == [again.appeal_id]
    entry = audits(uow, "appeal.write")[-1]
    assert json.loads(entry["details"])["merged_into"] == first.appeal_id


def test_a_transliterated_name_without_identifiers_is_the_same_subject(uow, valid):
    first = submit(uow, replace(valid, description="Потрібна допомога з житлом"))
    latin = PersonData(last_name="Kovalenko", first_name="Andriy", birth_date="1988-03-14")
    again = submit(
        uow,
        replace(
            valid,
            applicant=replace(valid.applicant, first_name="Андрей"),
            subject=latin,
            applicant_is_subject=False,
            relation_to_subject="брат",
            description="потрібна допомога з житлом",
        ),
    )
    assert again.merged_into == first.appeal_id


def test_what_is_not_a_near_duplicate(uow, valid):
    first = submit(uow, replace(valid, description="Потрібна реабілітація після поранення"))
    other_need = submit(uow, replace(valid, description="Прошу допомогти з працевлаштуванням у громаді"))
    urgent = submit(uow, replace(valid, description="Потрібна реабілітація після поранення", urgent=True))
    other_person = submit(
        uow,
        replace(
            valid,
            applicant=replace(valid.applicant, rnokpp="", unzr="", first_name="Олег"),
            description="Потрібна реабілітація після поранення",
        ),
    )
    more = submit(
        uow,
        replace(
            valid,
            description="Потрібна реабілітація після поранення, а ще житло і робота для дружини та школа для дітей",
        ),
    )  # adds needs: not the same ask
    for appeal in (other_need, urgent, other_person, more):
        assert appeal.merged_into == "" and appeal.state is not AppealState.MERGED
    assert first.state is AppealState.ACCEPTED


def test_outside_the_window_is_a_new_appeal(uow, valid, monkeypatch):
    monkeypatch.setenv("EKM_INTAKE_DUPLICATE_WINDOW_HOURS", "0")
    submit(uow, valid)
    assert submit(uow, replace(valid, applicant_phone="+380501110009")).merged_into == ""
    assert DuplicatePolicy.configured().window == timedelta(0)


def test_a_merged_appeal_replays_with_the_first_tracking_number(uow, valid):
    first = submit(uow, valid)
    keyed = replace(valid, client_request_id="again-1", applicant_phone="+380501110009")
    once, twice = submit(uow, keyed), submit(uow, keyed)
    assert once.merged_into_tracking == twice.merged_into_tracking == first.tracking_number
    assert twice.state is AppealState.MERGED


def test_a_recipient_who_sent_the_duplicate_sees_the_first_appeal(uow, valid):
    first = submit(uow, valid)
    alice = Principal("person-alice", "recipient")
    submit(uow, replace(valid, applicant_phone="+380501110009", channel=valid.channel), CM)
    with uow() as u, pytest.raises(NotFound):
        handlers.appeal_status(first.tracking_number, u, alice)
    with uow() as u:
        u.session.execute(
            appeals.update().where(appeals.c.merged_into == first.appeal_id).values(submitted_by="person-alice")
        )
        u.commit()
    with uow() as u:
        assert handlers.appeal_status(first.tracking_number, u, alice).appeal_id == first.appeal_id


def test_a_case_for_the_first_appeal_reaches_its_duplicates_and_a_link_says_linked(uow, valid):
    first = submit(uow, valid)
    again = submit(uow, replace(valid, applicant_phone="+380501110009"))
    with uow() as u:
        handlers.record_case_opened(
            Envelope("case.appeal_linked", "cases", {"appeal_id": first.appeal_id, "case_number": "CASE-2026-AAAAAAA"}),
            u,
        )
        u.commit()
    assert stored(uow, first.appeal_id).state is AppealState.CASE_LINKED
    merged = stored(uow, again.appeal_id)
    assert merged.state is AppealState.MERGED and merged.case_number == "CASE-2026-AAAAAAA"


# --- the manual review queue -------------------------------------------------------------------

PERSON_A, PERSON_B = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"


def review_needed(uow, appeal):
    event = Envelope(
        "case.match_review_needed",
        "cases",
        {
            "appeal_id": appeal.appeal_id,
            "candidates": [
                {"person_id": PERSON_B, "score": 0.81, "band": "review", "reasons": ["birth_date", "first_name~0.62"]},
                {"person_id": PERSON_A, "score": 0.9, "band": "review", "reasons": ["birth_date", "last_name~0.89"]},
            ],
        },
    )
    with uow() as u:
        review = dedup.open_match_review(event, u)
        u.commit()
    with uow() as u:  # redelivered: nothing new
        assert dedup.open_match_review(event, u) is None
    return review


def fetch_candidates(calls):
    def fetch(actor, person_ids):
        calls.append((actor, person_ids))
        return [
            {
                "person_id": PERSON_A,
                "last_name": "Коваленко",
                "first_name": "Андрій",
                "patronymic": "",
                "birth_date": "1988-03-14",
                "rnokpp": "",
                "unzr": "19880314-43212",
                "case_number": "CASE-2026-BBBBBBB",
                "case_stage": "assessment",
                "case_community_code": KYIV,
            }
        ]

    return fetch


def test_an_uncertain_match_waits_for_a_reviewer_of_the_community(uow, valid):
    appeal = submit(uow, replace(valid, applicant=replace(valid.applicant, rnokpp="", unzr="")))
    review = review_needed(uow, appeal)
    assert stored(uow, appeal.appeal_id).state is AppealState.MATCH_REVIEW
    assert [c["person_id"] for c in review.candidates] == [PERSON_A, PERSON_B]  # best first
    with uow() as u, pytest.raises(PermissionDenied):
        dedup.list_reviews(u, OPERATOR)
    with uow() as u:
        assert dedup.list_reviews(u, CM_BUCHA) == []  # another community's queue is not theirs
    with uow() as u, pytest.raises(NotFound):
        dedup.review_view(u, CM_BUCHA, review.review_id, fetch_candidates([]))
    with uow() as u, pytest.raises(NotFound):
        dedup.decide_review(u, SV_BUCHA, review.review_id, PERSON_A, "так", fetch_candidates([]))
    with uow() as u:
        listed = dedup.list_reviews(u, CM)
    assert [(r.review_id, number) for r, number in listed] == [(review.review_id, appeal.tracking_number)]


def test_the_side_by_side_view_compares_field_by_field_and_is_audited(uow, valid):
    appeal = submit(uow, replace(valid, applicant=replace(valid.applicant, rnokpp="", first_name="Андрей")))
    review = review_needed(uow, appeal)
    calls = []
    with uow() as u:
        view = dedup.review_view(u, CM, review.review_id, fetch_candidates(calls))
    assert calls == [(CM.as_actor(), [PERSON_A, PERSON_B])]
    best = view["candidates"][0]
    by_field = {c["field"]: c for c in best["comparisons"]}
    assert by_field["last_name"]["verdict"] == "same" and by_field["first_name"]["verdict"] == "similar"
    assert by_field["birth_date"]["verdict"] == "same" and by_field["unzr"]["verdict"] == "same"
    assert by_field["unzr"]["appeal_value"].endswith("3212") and "19880314" not in by_field["unzr"]["appeal_value"]
    assert best["case_number"] == "CASE-2026-BBBBBBB"
    assert view["candidates"][1]["comparisons"] == []  # cases returned nothing for B
    assert audits(uow, "match_review.read")[-1]["actor_id"] == "cm-1"


def test_a_decision_needs_a_reason_and_a_candidate_and_is_final(uow, valid):
    appeal = submit(uow, replace(valid, applicant=replace(valid.applicant, rnokpp="", unzr="")))
    review = review_needed(uow, appeal)
    for person_id, reason, field in (
        (PERSON_A, " ", "reason"),
        ("33333333-0000-0000-0000-000000000000", "так", "person_id"),
    ):
        with uow() as u, pytest.raises(ValidationError) as caught:
            dedup.decide_review(u, CM, review.review_id, person_id, reason, fetch_candidates([]))
        assert [v.field for v in caught.value.violations] == [field]
    with uow() as u:
        view = dedup.decide_review(
            u, CM, review.review_id, PERSON_A, "той самий УНЗР і дата народження", fetch_candidates([])
        )
    assert view["review"].state == "decided" and view["review"].decided_person_id == PERSON_A
    kind, data = outbox(uow)[-1]
    assert kind == "appeal.match_decided" and data["person_id"] == PERSON_A and data["appeal_id"] == appeal.appeal_id
    assert stored(uow, appeal.appeal_id).state is AppealState.ACCEPTED
    decided = json.loads(audits(uow, "match_review.decide")[-1]["details"])
    assert decided["decision"] == "link" and decided["score"] == 0.9
    with uow() as u, pytest.raises(FailedPrecondition):
        dedup.decide_review(u, SV_KYIV, review.review_id, "", "нова особа", fetch_candidates([]))


def test_a_new_person_decision(uow, valid):
    appeal = submit(uow, replace(valid, applicant=replace(valid.applicant, rnokpp="", unzr="")))
    review = review_needed(uow, appeal)
    with uow() as u:
        dedup.decide_review(u, SV_KYIV, review.review_id, "", "інша людина: інше по батькові", fetch_candidates([]))
    assert outbox(uow)[-1][1]["person_id"] == ""


def test_a_duplicate_stored_while_the_first_case_opened_still_answers_with_that_case(uow, valid):
    first = submit(uow, valid)
    again = submit(uow, replace(valid, applicant_phone="+380501110009"))
    with uow() as u:  # the first appeal's case opened; the duplicate's own row was not updated
        u.repo.save_case(first.with_case("CASE-2026-CCCCCCC"))
        u.commit()
    with uow() as u:
        assert handlers.appeal_case_number(again.appeal_id, u) == "CASE-2026-CCCCCCC"
    with uow() as u:
        assert handlers.appeal_status(again.tracking_number, u, CM).case_number == "CASE-2026-CCCCCCC"
