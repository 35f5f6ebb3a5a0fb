"""What cases tells notifications: who is in a case (case_parties), a revised agreed plan
(case.plan_changed) and reviews due (case.review_due, once per stage entry)."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from cases.adapters.orm import cases as cases_table
from cases.adapters.orm import metadata
from cases.domain.deadlines import Deadlines
from cases.domain.model import Stage
from cases.domain.plan import Goal, Plan, PlannedService, Step
from cases.service_layer import notices, plans

from .test_case_management import CM, SV, case, current, planned, uow  # noqa: F401 (fixtures)


def outbox(uow, kind):
    with uow() as u:
        rows = u.session.execute(select(metadata.tables["outbox"])).all()
    return [json.loads(r.payload)["data"] for r in rows if r.event_type == kind]


def test_case_parties_names_who_is_in_the_case_and_nothing_for_an_unknown_one(uow, case):
    with uow() as u:
        assert notices.case_parties(u, "CASE-2026-NOSUCH1") is None
        assert notices.case_parties(u, "no-such-id") is None
        by_number = notices.case_parties(u, case.case_number.lower())
        by_id = notices.case_parties(u, case.case_id)
    assert by_number == by_id
    assert (by_id["person_id"], by_id["assigned_to"], by_id["open"], by_id["step"], by_id["supervisors"]) == (
        case.person_id,
        "cm-1",
        True,
        None,
        [],
    )
    assert "rnokpp" not in by_id and "last_name" not in by_id  # identifiers only


def test_case_parties_tells_a_steps_state(uow, case):
    planned(uow, case)
    with uow() as u:
        found = notices.case_parties(u, case.case_id, "s1")
        missing = notices.case_parties(u, case.case_id, "nope")
    assert found["step"] == {"due_on": "2026-01-01", "status": "planned", "responsible_kind": "person"}
    assert missing["step"] is None


def test_only_a_revision_of_an_agreed_plan_is_announced_as_changed(uow, case):
    planned(uow, case)
    draft = Plan(
        case.case_id,
        1,
        goals=(Goal("g1", "health", "Реабілітація"),),
        steps=(Step("s1", "g1", "Візит", "person", "p", "2099-02-01"),),
        services=(PlannedService("sv1", "rehabilitation", "Центр", "щотижня"),),
    )
    with uow() as u:  # the draft edited again before anyone agreed: nobody is told
        plans.save_plan(u, CM, draft, current(uow, case).version)
    assert outbox(uow, "case.plan_changed") == []
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)
    with uow() as u:
        plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    with uow() as u:
        assert plans.save_plan(u, CM, draft, current(uow, case).version).version == 2
    with uow() as u:  # editing version 2 before it is agreed: no second announcement
        plans.save_plan(u, CM, draft, current(uow, case).version)
    assert outbox(uow, "case.plan_changed") == [
        {"case_id": case.case_id, "case_number": case.case_number, "version": 2, "previous_version": 1}
    ]


def in_stage(uow, case, stage, entered_at):
    with uow() as u:
        u.session.execute(
            update(cases_table)
            .where(cases_table.c.case_id == case.case_id)
            .values(stage=stage.value, stage_entered_at=entered_at)
        )
        u.session.commit()


def test_a_review_is_announced_a_week_before_it_is_due_once_per_stage_entry(uow, case):
    now = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
    deadlines = Deadlines(review_interval_days=90)
    in_stage(uow, case, Stage.IMPLEMENTATION, now - timedelta(days=82))  # due in 8 days: not yet
    with uow() as u:
        assert notices.announce_due_reviews(u, now, deadlines) == 0
    in_stage(uow, case, Stage.IMPLEMENTATION, now - timedelta(days=84))  # due in 6 days
    with uow() as u:
        assert notices.announce_due_reviews(u, now, deadlines) == 1
    with uow() as u:
        assert notices.announce_due_reviews(u, now + timedelta(hours=1), deadlines) == 0  # once
    assert outbox(uow, "case.review_due") == [
        {"case_id": case.case_id, "case_number": case.case_number, "due_on": "2026-12-09", "overdue": False}
    ]


def test_a_review_interval_comes_from_configuration_and_an_overdue_one_is_announced(uow, case):
    now = datetime.now(timezone.utc)
    in_stage(uow, case, Stage.MONITORING, now - timedelta(days=31))
    with uow() as u:
        assert notices.announce_due_reviews(u, now, Deadlines(review_interval_days=90)) == 0
    with uow() as u:
        assert notices.announce_due_reviews(u, now, Deadlines(review_interval_days=30)) == 1
    [event] = outbox(uow, "case.review_due")
    assert event["overdue"] is True


def test_cases_in_other_stages_have_no_review_reminder(uow, case):
    now = datetime.now(timezone.utc)
    for stage in (Stage.ASSESSMENT, Stage.PLANNING, Stage.REVIEW, Stage.CLOSED):
        in_stage(uow, case, stage, now - timedelta(days=400))
        with uow() as u:
            assert notices.announce_due_reviews(u, now) == 0


def test_the_scan_interval_is_configuration_and_a_bad_value_is_refused():
    assert notices.due_scan_interval({}) == 900
    assert notices.due_scan_interval({"EKM_DUE_SCAN_INTERVAL_SECONDS": "1.5"}) == 1.5
    for bad in ("0", "-1", "soon"):
        with pytest.raises(ValueError, match="EKM_DUE_SCAN_INTERVAL_SECONDS"):
            notices.due_scan_interval({"EKM_DUE_SCAN_INTERVAL_SECONDS": bad})


def test_an_unassigned_case_names_the_communitys_supervisors(uow, case):
    with uow() as u:
        u.session.execute(update(cases_table).where(cases_table.c.case_id == case.case_id).values(assigned_to=""))
        u.session.commit()
    with uow() as u:
        assert notices.case_parties(u, case.case_id)["supervisors"] == ["sv-1", "sv-2"]
