"""What notifications needs to know about a case (who to tell), and the reviews announced as due."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import exists, func, select

from cases.adapters.orm import case_managers, cases, plan_steps, review_reminders


class Notices:
    def __init__(self, session):
        self.session = session

    def parties(self, case_ref: str) -> dict | None:
        """The case's identifiers and who is in it, by its id or number."""
        ref = (case_ref or "").strip()
        condition = cases.c.case_number == ref.upper() if ref.upper().startswith("CASE-") else cases.c.case_id == ref
        row = self.session.execute(
            select(
                cases.c.case_id,
                cases.c.case_number,
                cases.c.person_id,
                cases.c.assigned_to,
                cases.c.community_code,
                cases.c.stage,
                cases.c.screening_level,
            ).where(condition)
        ).first()
        return dict(row._asdict()) if row else None

    def supervisors(self, community_code: str) -> list[str]:
        """The supervisors of the community's case managers (who take an unassigned case)."""
        return sorted(
            self.session.execute(
                select(case_managers.c.supervisor_id)
                .distinct()
                .where(case_managers.c.community_code == community_code, case_managers.c.supervisor_id != "")
            ).scalars()
        )

    def step(self, case_id: str, step_id: str) -> dict | None:
        row = self.session.execute(
            select(plan_steps.c.due_on, plan_steps.c.status, plan_steps.c.responsible_kind).where(
                plan_steps.c.case_id == case_id, plan_steps.c.step_id == step_id
            )
        ).first()
        return dict(row._asdict()) if row else None

    def reviews_to_announce(self, stages: tuple[str, ...], entered_before: datetime, limit: int = 1000) -> list:
        """(case_id, case_number, entered_at) of cases in these stages since before that moment whose
        review was not announced since they entered the stage (once per stage entry)."""
        entered = func.coalesce(cases.c.stage_entered_at, cases.c.opened_at)
        announced = exists().where(review_reminders.c.case_id == cases.c.case_id, review_reminders.c.sent_at >= entered)
        return self.session.execute(
            select(cases.c.case_id, cases.c.case_number, entered.label("entered_at"))
            .where(cases.c.stage.in_(stages), entered <= entered_before, ~announced)
            .order_by(entered)
            .limit(limit)
        ).all()

    def mark_review_announced(self, case_id: str, due_on: str) -> None:
        self.session.execute(
            review_reminders.insert(), dict(case_id=case_id, due_on=due_on, sent_at=datetime.now(timezone.utc))
        )
