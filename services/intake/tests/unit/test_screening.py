"""Screening by a versioned decision table, channels kept with their source references,
overrides with a reason, information answered by a consultation, the appeal's history and
the recipient cabinet's list."""

import copy
import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from ekm_platform.auth import Principal
from ekm_platform.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied, ValidationError
from intake.adapters import channel_mapping
from intake.adapters.orm import appeal_history, appeals, consultations, metadata
from intake.adapters.repository import AppealRepository
from intake.domain import screening
from intake.domain.model import AppealState, Channel, ScreeningLevel, screen
from intake.service_layer import handlers

KYIV = "UA80000000000093317"
LVIV = "UA46060250010015970"
CM = Principal("cm-1", "case_manager", KYIV)
OTHER_CM = Principal("cm-9", "case_manager", LVIV)
OPERATOR = Principal("op-1", "operator", KYIV)
ALICE = Principal("person-alice", "recipient")


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("intake", metadata, AppealRepository)


def submit(uow, submission, principal=CM):
    with uow() as u:
        return handlers.submit_appeal(submission, u, principal)


def count(uow, table):
    with uow() as u:
        return u.session.execute(select(func.count()).select_from(table)).scalar()


def outbox(uow):
    with uow() as u:
        rows = u.session.execute(select(metadata.tables["outbox"])).all()
    return [(r.event_type, json.loads(r.payload).get("data", {})) for r in rows]


# --- the decision table ----------------------------------------------------------------------


def test_the_table_is_versioned_data_and_checked_when_loaded():
    table = screening.load_rules("v1")
    assert table["version"] == "v1" and {r["id"] for r in table["rules"]} >= {"CR-URGENT", "IN-ONLY", "AS-CHILD"}
    broken = copy.deepcopy(table)
    broken["rules"][0]["outcome"] = "maybe"
    broken["rules"][1]["when"] = {"all": [{"field": "salary", "op": "==", "value": 1}]}
    with pytest.raises(screening.RulesError) as caught:
        screening.check_rules(broken)
    assert "unknown outcome 'maybe'" in str(caught.value) and "unknown field or operator" in str(caught.value)
    with pytest.raises(screening.RulesError):
        screening.load_rules("v999")


@pytest.mark.parametrize(
    "change, outcome, fired",
    [
        ({}, "assessment", ["AS-DEFAULT"]),
        ({"urgent": True}, "crisis", ["CR-URGENT"]),
        ({"description": "Чоловік б’є мене і дітей, погрожує вбити"}, "crisis", ["CR-WORDS"]),
        ({"information_only": True}, "information", ["IN-ONLY"]),
        ({"description": "Які документи потрібні для допомоги?"}, "information", ["IN-WORDS"]),
        # the most urgent outcome wins, and every rule that fired is kept
        ({"information_only": True, "urgent": True}, "crisis", ["CR-URGENT", "IN-ONLY"]),
        ({"information_only": True, "channel": Channel.AGENCY_REFERRAL}, "assessment", ["AS-REFERRAL", "IN-ONLY"]),
    ],
)
def test_the_table_decides_and_keeps_the_rules_that_fired(valid, change, outcome, fired):
    decision = screen(replace(valid, **change))
    assert (decision.outcome, decision.rule_ids, decision.rules_version) == (outcome, fired, "v1")
    assert " / " in decision.explanation


def test_an_appeal_about_a_child_is_assessed_even_when_only_information_is_asked(valid):
    child = replace(valid.applicant, birth_date="2015-05-01")
    decision = screen(replace(valid, applicant=child, information_only=True))
    assert decision.outcome == "assessment" and decision.rule_ids == ["AS-CHILD", "IN-ONLY"]


def test_another_table_version_is_used_as_given(valid):
    table = copy.deepcopy(screening.load_rules("v1"))
    table["version"], table["default"]["outcome"] = "v2-test", "information"
    decision = screen(valid, table)
    assert (decision.outcome, decision.rules_version) == ("information", "v2-test")


def test_the_decision_is_stored_with_the_appeal_in_its_history_and_audit(uow, valid):
    appeal = submit(uow, replace(valid, urgent=True, source_reference="call-0042"))
    with uow() as u:
        stored = u.repo.get(appeal.appeal_id)
        history = u.repo.history(appeal.appeal_id)
    assert stored.screening.rule_ids == ["CR-URGENT"] and stored.screening.rules_version == "v1"
    assert stored.submission.source_reference == "call-0042" and stored.submission.channel is Channel.PHONE
    assert [h.kind for h in history] == ["accepted"] and "CR-URGENT" in history[0].text
    event = dict(outbox(uow))["appeal.accepted"]
    assert event["screening_rules"] == ["CR-URGENT"] and event["rules_version"] == "v1"


# --- channels ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "channel, principal",
    [
        (Channel.PHONE, ALICE),
        (Channel.IN_PERSON, ALICE),  # staff enter these
        (Channel.DIIA, CM),
        (Channel.RECIPIENT_CABINET, CM),
        (Channel.MOBILE_APP, OPERATOR),  # self-service
        (Channel.CHATBOT, CM),
        (Channel.CHATBOT, ALICE),  # only the signed webhook
        (Channel.REGISTRY_SIGNAL, CM),
        (Channel.AGENCY_REFERRAL, CM),
    ],
)
def test_a_channel_that_is_not_the_callers_is_refused_and_nothing_is_stored(uow, valid, channel, principal):
    with pytest.raises(ValidationError) as caught:
        submit(uow, replace(valid, channel=channel), principal)
    assert [v.field for v in caught.value.violations] == ["channel"]
    assert " / " in caught.value.violations[0].description
    assert count(uow, appeals) == 0 and count(uow, appeal_history) == 0


@pytest.mark.parametrize(
    "channel, principal",
    [
        (Channel.PHONE, OPERATOR),
        (Channel.IN_PERSON, CM),
        (Channel.DIIA, ALICE),
        (Channel.MOBILE_APP, ALICE),
        (Channel.CHATBOT, Principal("chatbot:demo", "chatbot", KYIV)),
        (Channel.AGENCY_REFERRAL, Principal("pa-1", "partner_agency", KYIV, "12345678")),
    ],
)
def test_each_channel_from_its_own_caller_is_kept(uow, valid, channel, principal):
    appeal = submit(uow, replace(valid, channel=channel, source_reference="ref-1"), principal)
    with uow() as u:
        stored = u.repo.get(appeal.appeal_id)
    assert (stored.submission.channel, stored.submission.source_reference) == (channel, "ref-1")


def test_a_bad_source_reference_is_named(uow, valid):
    with pytest.raises(ValidationError) as caught:
        submit(uow, replace(valid, source_reference="x" * 201, description=""))
    assert sorted(v.field for v in caught.value.violations) == ["description", "source_reference"]


def test_a_chatbot_message_becomes_a_submission_with_its_conversation_as_source():
    message = {
        "message_id": "m-1",
        "conversation_id": "conv-7",
        "description": "Потрібна допомога",
        "consent_to_processing": True,
        "applicant": {
            "last_name": "Коваленко",
            "first_name": "Андрій",
            "rnokpp": "3221512349",
            "is_subject": True,
            "phone": "+380501110001",
        },
    }
    s = channel_mapping.submission_from_message(
        message, Channel.CHATBOT, "message_id", "conversation_id", "chatbot:demo:"
    )
    assert (s.channel, s.client_request_id, s.source_reference) == (Channel.CHATBOT, "m-1", "chatbot:demo:conv-7")
    assert s.applicant.rnokpp == "3221512349" and s.applicant_is_subject


def test_a_chatbot_message_with_unknown_or_mistyped_fields_is_refused_by_field():
    with pytest.raises(ValidationError) as caught:
        channel_mapping.submission_from_message(
            {"message_id": "", "urgent": "yes", "salary": 1, "applicant": {"iban": "x"}},
            Channel.CHATBOT,
            "message_id",
            "conversation_id",
            "chatbot:demo:",
        )
    assert sorted(v.field for v in caught.value.violations) == ["applicant.iban", "message_id", "salary", "urgent"]
    with pytest.raises(ValidationError):
        channel_mapping.submission_from_message([1, 2], Channel.CHATBOT, "message_id", "conversation_id", "")


# --- overriding the decision ------------------------------------------------------------------


def override(uow, principal, tracking, level, reason):
    with uow() as u:
        return handlers.override_screening(u, principal, tracking, level, reason)


def test_another_communitys_case_manager_cannot_override_and_nothing_changes(uow, valid):
    appeal = submit(uow, replace(valid, information_only=True))
    for principal in (OTHER_CM, Principal("cm-x", "case_manager")):
        with pytest.raises(NotFound):
            override(uow, principal, appeal.tracking_number, "assessment", "потрібна оцінка")
    with pytest.raises(PermissionDenied):
        override(uow, OPERATOR, appeal.tracking_number, "assessment", "потрібна оцінка")
    with uow() as u:
        assert u.repo.get(appeal.appeal_id).screening_level is ScreeningLevel.INFORMATION
        assert [h.kind for h in u.repo.history(appeal.appeal_id)] == ["accepted"]


def test_an_override_needs_a_reason_and_a_different_known_level(uow, valid):
    appeal = submit(uow, replace(valid, information_only=True))
    for level, reason, fields in (
        ("assessment", "  ", ["reason"]),
        ("information", "так", ["screening_level"]),
        ("", "так", ["screening_level"]),
    ):
        with pytest.raises(ValidationError) as caught:
            override(uow, CM, appeal.tracking_number, level, reason)
        assert [v.field for v in caught.value.violations] == fields


def test_a_case_manager_overrides_with_a_reason_kept_in_history_audit_and_event(uow, valid):
    appeal = submit(uow, replace(valid, information_only=True))
    changed = override(uow, CM, appeal.tracking_number, "crisis", "під час дзвінка повідомила про насильство")
    assert changed.screening_level is ScreeningLevel.CRISIS
    assert (changed.screening.decided_by, changed.screening.previous) == ("cm-1", "information")
    assert changed.screening.rule_ids == ["IN-ONLY"]  # what the table said stays visible
    with uow() as u:
        _, decisions, _, entries = handlers.appeal_history(u, CM, appeal.tracking_number)
    assert [d.outcome for d in decisions] == ["information", "crisis"]
    assert [e.kind for e in entries] == ["accepted", "screening.overridden"]
    assert "насильство" in entries[1].text and entries[1].actor_id == "cm-1"
    with uow() as u:
        audit = [r.action for r in u.session.execute(select(metadata.tables["audit_log"]))]
    assert "appeal.screening_override" in audit
    event = dict(outbox(uow))["appeal.rescreened"]
    assert event["screening_level"] == "crisis" and event["previous_level"] == "information"
    assert "насильство" not in json.dumps(event, ensure_ascii=False)  # identifiers only


def test_an_appeal_with_a_case_is_not_rescreened_here(uow, valid):
    appeal = submit(uow, valid)
    with uow() as u:
        u.repo.save_case(appeal.with_case("CASE-2026-AAAAAAA"))
        u.commit()
    with pytest.raises(FailedPrecondition):
        override(uow, CM, appeal.tracking_number, "crisis", "загроза")


# --- information answered with a consultation -------------------------------------------------


def consult(
    uow, principal, tracking, advice="Пояснено порядок оформлення допомоги; перелік документів", topics=("payments",)
):
    with uow() as u:
        return handlers.record_consultation(u, principal, tracking, advice, topics)


def test_another_communitys_staff_cannot_record_a_consultation(uow, valid):
    appeal = submit(uow, replace(valid, information_only=True))
    with pytest.raises(NotFound):
        consult(uow, OTHER_CM, appeal.tracking_number)
    with pytest.raises(PermissionDenied):
        consult(uow, ALICE, appeal.tracking_number)
    assert count(uow, consultations) == 0


def test_information_is_answered_by_a_consultation_and_reaches_consulted(uow, valid):
    appeal = submit(uow, replace(valid, information_only=True))
    consulted, consultation = consult(uow, OPERATOR, appeal.tracking_number)
    assert consulted.state is AppealState.CONSULTED and consulted.case_number == ""
    assert (consultation.advised_by, consultation.topics) == ("op-1", ("payments",))
    with uow() as u:
        assert u.repo.get(appeal.appeal_id).state is AppealState.CONSULTED
        assert "перелік документів" in u.repo.consultation(appeal.appeal_id).advice
    assert "appeal.consulted" in dict(outbox(uow))
    with pytest.raises(AlreadyExists):
        consult(uow, OPERATOR, appeal.tracking_number)


def test_a_consultation_needs_advice_and_an_information_level_appeal(uow, valid):
    info = submit(uow, replace(valid, information_only=True))
    with pytest.raises(ValidationError) as caught:
        consult(uow, CM, info.tracking_number, advice=" ", topics=("Виплати",))
    assert sorted(v.field for v in caught.value.violations) == ["advice", "topics"]
    assessed = submit(uow, replace(valid, client_request_id="k-2"))
    with pytest.raises(FailedPrecondition):
        consult(uow, CM, assessed.tracking_number)
    assert count(uow, consultations) == 0


# --- tracking: the recipient cabinet ----------------------------------------------------------


def test_the_cabinet_lists_only_the_recipients_own_appeals(uow, valid):
    mine = submit(uow, replace(valid, channel=Channel.RECIPIENT_CABINET), ALICE)
    submit(uow, valid, CM)
    with uow() as u:
        with pytest.raises(PermissionDenied):
            handlers.my_appeals(u, CM)
    with uow() as u:
        found = handlers.my_appeals(u, ALICE)
    assert [a.tracking_number for a in found] == [mine.tracking_number]


def test_appeal_states_have_ukrainian_and_english_labels(uow, valid):
    from intake.adapters import grpc_mapping

    appeal = submit(uow, valid)
    status = grpc_mapping.status_response(appeal.consulted())
    assert (status.state_label_uk, status.state_label_en) == ("Надано консультацію", "Consultation given")
    labelled = {e.code: (e.label_uk, e.label_en) for e in grpc_mapping.STATE_LABELS.entries}
    assert all(labelled.get(s.value, ("", ""))[0] and labelled[s.value][1] for s in AppealState)


# --- the internal RPCs of the chat-bot webhook and of interagency -----------------------------

REFERRAL = {
    "referral_number": "DCZ-2026-0042",
    "description": "Направлення центру зайнятості: ветеран без роботи",
    "consent_to_processing": True,
    "community_code": KYIV,
    "applicant": {
        "last_name": "Коваленко",
        "first_name": "Андрій",
        "rnokpp": "3221512349",
        "is_subject": True,
        "phone": "+380501110001",
    },
}


def rpc_service(uow):
    from nameko.testing.services import worker_factory

    from intake.service import IntakeService

    return worker_factory(IntakeService, db=uow)


def test_an_agency_referral_over_the_internal_rpc_keeps_its_channel_and_number(uow):
    service = rpc_service(uow)
    agency = Principal("pa-1", "partner_agency", KYIV, "12345678").as_actor()
    answer = service.submit_agency_referral(agency, REFERRAL)
    assert answer["status"] == "accepted" and answer["screening_level"] == "assessment"
    assert answer["screening_rules"] == ["AS-REFERRAL"]
    with uow() as u:
        stored = u.repo.by_tracking_number(answer["tracking_number"])
    assert stored.submission.channel is Channel.AGENCY_REFERRAL
    assert stored.submission.source_reference == "agency:12345678:DCZ-2026-0042"
    assert service.submit_agency_referral(agency, REFERRAL) == answer  # the same referral again: the same appeal
    assert count(uow, appeals) == 1


def test_a_referral_from_someone_who_is_not_an_agency_is_refused_and_stores_nothing(uow):
    service = rpc_service(uow)
    answer = service.submit_agency_referral(CM.as_actor(), REFERRAL)
    assert answer["status"] == "invalid" and [v["field"] for v in answer["violations"]] == ["channel"]
    answer = service.submit_agency_referral(
        Principal("pa-1", "partner_agency", KYIV).as_actor(), {**REFERRAL, "iban": "UA00"}
    )
    assert answer["status"] == "invalid" and [v["field"] for v in answer["violations"]] == ["iban"]
    assert count(uow, appeals) == 0


def test_the_webhooks_rpc_submits_as_the_bot_of_its_community(uow):
    service = rpc_service(uow)
    message = {
        **{k: v for k, v in REFERRAL.items() if k not in ("referral_number", "community_code")},
        "message_id": "m-9",
        "conversation_id": "c-9",
        "description": "Мене б'є чоловік",
    }
    answer = service.submit_chatbot_appeal({"bot_id": "demo", "community_code": KYIV}, message)
    assert (answer["status"], answer["screening_level"]) == ("accepted", "crisis")
    with uow() as u:
        stored = u.repo.by_tracking_number(answer["tracking_number"])
    assert (stored.submitted_by, stored.submitter_role, stored.submission.community_code) == (
        "chatbot:demo",
        "chatbot",
        KYIV,
    )
    assert stored.submission.source_reference == "chatbot:demo:c-9"


def test_an_appeal_stored_before_screening_was_recorded_keeps_its_level_and_can_be_overridden(uow, valid):
    appeal = submit(uow, replace(valid, information_only=True))
    with uow() as u:  # as m0006 leaves an earlier appeal: no decision stored, no history
        u.session.execute(appeals.update().values(screening=""))
        u.session.execute(appeal_history.delete())
        u.commit()
    with uow() as u:
        assert u.repo.get(appeal.appeal_id).screening is None
        _, decisions, _, _ = handlers.appeal_history(u, CM, appeal.tracking_number)
    assert [(d.outcome, d.rules_version, d.rule_ids) for d in decisions] == [("information", "", [])]
    changed = override(uow, CM, appeal.tracking_number, "assessment", "потрібна оцінка потреб")
    assert (changed.screening.previous, changed.screening.outcome) == ("information", "assessment")
