"""Persons, cases and everything recorded about them, in the database."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import datetime, timezone

from sqlalchemy import case as sql_case
from sqlalchemy import func, or_, select, true, update

from cases.adapters.orm import (
    assessments,
    audit_log,
    case_appeals,
    case_managers,
    cases,
    contracts,
    history,
    households,
    persons,
    plan_steps,
    plans,
    ratings,
    reviews,
    stage_changes,
    step_reminders,
    transfers,
)
from cases.domain.assessment import Assessment, Status
from cases.domain.lifecycle import StageChange
from cases.domain.model import Case, Person, Stage
from cases.domain.plan import Plan
from cases.domain.review import Review
from cases.domain.search import search_key
from cases.domain.workload import WEIGHTS, CaseManager
from ekm_platform.audit import AuditEntry
from ekm_platform.errors import Aborted

CASE_FIELDS = [c.name for c in cases.columns]


def now() -> datetime:
    return datetime.now(timezone.utc)


def _person(row) -> Person:
    data = row._asdict()
    data.pop("created_at")
    data.pop("search_name", None)
    data["veteran_statuses"] = tuple(json.loads(data.get("veteran_statuses") or "[]"))
    return Person(**{k: (v if v is not None else "") for k, v in data.items()})


def _person_row(person: Person) -> dict:
    values = asdict(person)
    values.update(
        rnokpp=person.rnokpp or None,
        unzr=person.unzr or None,
        veteran_statuses=json.dumps(list(person.veteran_statuses)),
        search_name=search_key(person.last_name, person.first_name, person.patronymic),
    )
    return values


def _moment(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _iso(at: datetime | None) -> str:
    return at.isoformat() if at else ""


def _plan(row) -> Plan:
    """The plan's document with its sign-off (who approved and agreed, when, how) from its columns."""
    return replace(
        Plan.from_dict(json.loads(row.document)),
        agreed_by=row.agreed_by,
        agreed_at=_iso(row.agreed_at),
        agreement_channel=row.agreement_channel,
        approved_by=row.approved_by,
        approved_at=_iso(row.approved_at),
    )


def _plan_row(plan: Plan) -> dict:
    return {
        "agreed": plan.agreed,
        "document": json.dumps(plan.to_dict(), ensure_ascii=False),
        "agreed_by": plan.agreed_by,
        "agreed_at": _moment(plan.agreed_at),
        "agreement_channel": plan.agreement_channel,
        "approved_by": plan.approved_by,
        "approved_at": _moment(plan.approved_at),
        "updated_at": now(),
    }


def _case(row, appeal_ids=()) -> Case:
    data = {k: getattr(row, k) for k in CASE_FIELDS}
    data["stage"] = Stage(data["stage"])
    return Case(**data, appeal_ids=list(appeal_ids))


def _contract(row):
    from decimal import Decimal

    from cases.domain.contracts import ContractDraft, FeeDecision

    fee = FeeDecision(
        row.free_of_charge,
        Decimal(row.amount).quantize(Decimal("0.01")),
        tuple(json.loads(row.explanation)),
        row.rules_version,
    )
    return ContractDraft(
        row.case_id,
        row.provider,
        row.service_type,
        fee,
        row.contract_id,
        row.service_id,
        tuple(json.loads(row.categories or "[]")),
        Decimal(row.tariff or 0).quantize(Decimal("0.01")),
        row.created_by,
        row.created_at,
        row.status,
    )


class CaseRepository:
    def __init__(self, session):
        self.session = session

    def save_transfer(self, transfer) -> None:
        values = asdict(transfer)
        done = self.session.execute(
            update(transfers)
            .where(transfers.c.transfer_id == transfer.transfer_id)
            .values(state=transfer.state, accepted_at=transfer.accepted_at)
        )
        if done.rowcount == 0:
            self.session.execute(transfers.insert(), values)

    def get_transfer(self, transfer_id: str):
        from cases.domain.transfer import Transfer

        row = self.session.execute(select(transfers).where(transfers.c.transfer_id == transfer_id)).first()
        return Transfer(**row._asdict()) if row else None

    def add_contract(self, draft, service_id: str) -> None:
        self.session.execute(
            contracts.insert(),
            dict(
                contract_id=draft.contract_id,
                case_id=draft.case_id,
                service_id=service_id,
                provider=draft.provider,
                service_type=draft.service_type,
                free_of_charge=draft.fee.free,
                amount=draft.fee.amount,
                explanation=json.dumps(draft.fee.explanation, ensure_ascii=False),
                rules_version=draft.fee.rules_version,
                created_at=draft.created_at or now(),
                categories=json.dumps(sorted(draft.categories)),
                tariff=draft.tariff,
                created_by=draft.created_by,
                status=draft.status,
            ),
        )

    def contracts_of(self, case_id: str) -> list:
        rows = self.session.execute(
            select(contracts)
            .where(contracts.c.case_id == case_id)
            .order_by(contracts.c.created_at, contracts.c.contract_id)
        )
        return [_contract(r) for r in rows]

    def get_contract(self, contract_id: str):
        row = self.session.execute(select(contracts).where(contracts.c.contract_id == contract_id)).first()
        return _contract(row) if row else None

    def steps_to_remind(self, due_until: str, today: str, limit: int = 1000) -> list[tuple[str, str, str, str]]:
        """(case_id, step_id, due_on, kind) of open steps due soon or overdue, not yet announced."""
        rows = self.session.execute(
            select(plan_steps.c.case_id, plan_steps.c.step_id, plan_steps.c.due_on, plan_steps.c.responsible_kind)
            .where(plan_steps.c.status.in_(("planned", "in_progress")), plan_steps.c.due_on <= due_until)
            .order_by(plan_steps.c.due_on)
            .limit(limit)
        ).all()
        sent = {
            (r.case_id, r.step_id, r.kind)
            for r in self.session.execute(
                select(step_reminders).where(step_reminders.c.case_id.in_({r.case_id for r in rows}))
            )
        }
        result = []
        for row in rows:
            kind = "overdue" if row.due_on < today else "due"
            if (row.case_id, row.step_id, kind) not in sent:
                result.append((row.case_id, row.step_id, row.due_on, kind, row.responsible_kind))
        return result

    def mark_reminded(self, case_id: str, step_id: str, kind: str) -> None:
        self.session.execute(step_reminders.insert(), dict(case_id=case_id, step_id=step_id, kind=kind, sent_at=now()))

    @property
    def ratings(self) -> Ratings:
        return Ratings(self.session)

    @property
    def consents(self):
        from cases.adapters.consent_store import Consents

        return Consents(self.session)

    @property
    def notices(self):
        """Who is in a case, and the reviews announced as due (cases.service_layer.notices)."""
        from cases.adapters.notice_store import Notices

        return Notices(self.session)

    def stage_entries(self, case_ids: list[str]) -> list:
        """(case_id, to_stage, at) of every stage change of these cases, oldest first."""
        return self.session.execute(
            select(stage_changes.c.case_id, stage_changes.c.to_stage, stage_changes.c.at)
            .where(stage_changes.c.case_id.in_(case_ids))
            .order_by(stage_changes.c.at)
        ).all()

    def submitted_assessments(self, case_ids: list[str]) -> list:
        return self.session.execute(
            select(assessments.c.case_id, assessments.c.version, assessments.c.updated_at).where(
                assessments.c.case_id.in_(case_ids), assessments.c.status == Status.SUBMITTED.value
            )
        ).all()

    def unassigned(self, community_code: str, limit: int = 200) -> list[Case]:
        query = select(cases).where(cases.c.assigned_to == "", cases.c.stage != Stage.CLOSED.value)
        if community_code:
            query = query.where(cases.c.community_code == community_code)
        return [_case(r) for r in self.session.execute(query.order_by(cases.c.opened_at).limit(limit))]

    # persons ---------------------------------------------------------------
    def find_person(self, rnokpp: str, unzr: str) -> Person | None:
        conditions = [c for c, v in ((persons.c.rnokpp == rnokpp, rnokpp), (persons.c.unzr == unzr, unzr)) if v]
        if not conditions:
            return None
        row = self.session.execute(select(persons).where(or_(*conditions), persons.c.merged_into == "")).first()
        return _person(row) if row else None

    def lock_key(self, key: str) -> None:
        """Serialise work on one key until this transaction ends (PostgreSQL: a transaction-scoped
        advisory lock; SQLite, the development database, has none)."""
        if self.session.get_bind().dialect.name == "postgresql":
            import hashlib

            from sqlalchemy import text

            number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": number})

    def persons_born_on(self, birth_dates: list[str], limit: int = 200) -> list[Person]:
        """Candidates for matching by name and date of birth (not merged; m0016's index)."""
        rows = self.session.execute(
            select(persons).where(persons.c.birth_date.in_(birth_dates), persons.c.merged_into == "").limit(limit)
        )
        return [_person(r) for r in rows]

    def get_person(self, person_id: str) -> Person | None:
        row = self.session.execute(select(persons).where(persons.c.person_id == person_id)).first()
        return _person(row) if row else None

    def add_person(self, person: Person) -> None:
        self.session.execute(persons.insert(), dict(**_person_row(person), created_at=now()))

    def save_person(self, person: Person) -> None:
        values = _person_row(person)
        values.pop("person_id")
        self.session.execute(update(persons).where(persons.c.person_id == person.person_id).values(**values))

    def merge_person(self, keep_id: str, merge_id: str) -> None:
        """Re-point the duplicate's cases and history to the kept person; both histories stay."""
        self.session.execute(update(cases).where(cases.c.person_id == merge_id).values(person_id=keep_id))
        self.session.execute(update(history).where(history.c.person_id == merge_id).values(person_id=keep_id))
        from cases.adapters.orm import consents  # a consent given by either is the kept person's

        self.session.execute(update(consents).where(consents.c.person_id == merge_id).values(person_id=keep_id))
        self.session.execute(
            update(persons).where(persons.c.person_id == merge_id).values(merged_into=keep_id, rnokpp=None, unzr=None)
        )

    def save_household(self, household_id: str, case_id: str, address: str, members: list[dict]) -> None:
        values = {"address": address, "members": json.dumps(members, ensure_ascii=False), "updated_at": now()}
        if (
            self.session.execute(update(households).where(households.c.case_id == case_id).values(**values)).rowcount
            == 0
        ):
            self.session.execute(households.insert(), dict(household_id=household_id, case_id=case_id, **values))

    def household_of(self, case_id: str):
        row = self.session.execute(select(households).where(households.c.case_id == case_id)).first()
        return (row.household_id, row.address, json.loads(row.members)) if row else None

    # cases -----------------------------------------------------------------
    def add_case(self, case: Case) -> None:
        values = asdict(case)
        appeal_ids = values.pop("appeal_ids")
        values["stage"] = case.stage.value
        self.session.execute(cases.insert(), values)
        for appeal_id in appeal_ids:
            self.link_appeal(case.case_id, appeal_id)

    def save_case(self, case: Case, expected_version: int) -> Case:
        """Write a changed case if nobody changed it since ``expected_version`` (else ABORTED)."""
        values = {k: v for k, v in asdict(case).items() if k in CASE_FIELDS and k not in ("case_id", "version")}
        values.update(stage=case.stage.value, version=expected_version + 1, updated_at=now())
        done = self.session.execute(
            update(cases).where(cases.c.case_id == case.case_id, cases.c.version == expected_version).values(**values)
        )
        if done.rowcount != 1:
            raise Aborted(
                "Випадок змінено іншим користувачем; оновіть і повторіть / "
                "the case was changed by someone else; reload and retry"
            )
        case.version = expected_version + 1
        return case

    def link_appeal(self, case_id: str, appeal_id: str) -> None:
        self.session.execute(case_appeals.insert(), dict(appeal_id=appeal_id, case_id=case_id, linked_at=now()))

    def case_for_appeal(self, appeal_id: str) -> Case | None:
        row = self.session.execute(
            select(cases)
            .join(case_appeals, case_appeals.c.case_id == cases.c.case_id)
            .where(case_appeals.c.appeal_id == appeal_id)
        ).first()
        return _case(row) if row else None

    def open_case_of(self, person_id: str) -> Case | None:
        row = self.session.execute(
            select(cases).where(cases.c.person_id == person_id, cases.c.stage != Stage.CLOSED.value)
        ).first()
        return _case(row) if row else None

    def latest_case_of(self, person_id: str) -> Case | None:
        """The person's open case, else the one closed last (a closed case stays readable)."""
        return self.open_case_of(person_id) or next(
            iter(
                _case(r)
                for r in self.session.execute(
                    select(cases)
                    .where(cases.c.person_id == person_id)
                    .order_by(cases.c.updated_at.desc(), cases.c.case_id)
                    .limit(1)
                )
            ),
            None,
        )

    def get(self, case_id: str = "", case_number: str = "") -> Case | None:
        condition = cases.c.case_id == case_id if case_id else cases.c.case_number == case_number
        row = self.session.execute(select(cases).where(condition)).first()
        if row is None:
            return None
        appeal_ids = self.session.execute(
            select(case_appeals.c.appeal_id).where(case_appeals.c.case_id == row.case_id)
        ).scalars()
        return _case(row, appeal_ids)

    def list(
        self,
        stage: str = "",
        community_code: str = "",
        assigned_to: list[str] | None = None,
        overdue_before: dict | None = None,
        offset: int = 0,
        limit: int = 50,
        search: tuple[str, str] = ("", ""),
    ) -> list[Case]:
        """``search``: ("rnokpp", digits) or ("name", a search-key prefix) — see cases.domain.search."""
        query = select(cases)
        kind, value = search
        if kind:
            query = query.join(persons, persons.c.person_id == cases.c.person_id)
            if kind == "rnokpp":
                query = query.where(persons.c.rnokpp == value)
            else:
                escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                query = query.where(persons.c.search_name.like(escaped + "%", escape="\\"))
        if stage:
            query = query.where(cases.c.stage == stage)
        if community_code:
            query = query.where(cases.c.community_code == community_code)
        if assigned_to is not None:
            query = query.where(cases.c.assigned_to.in_(assigned_to))
        if overdue_before:  # {stage or "stage:screening level": entered-before datetime}
            query = query.where(
                or_(
                    *[
                        (cases.c.stage == s.partition(":")[0])
                        & (cases.c.stage_entered_at < t)
                        & ((cases.c.screening_level == s.partition(":")[2]) if ":" in s else true())
                        for s, t in overdue_before.items()
                    ]
                )
            )
        query = query.order_by(cases.c.opened_at.desc(), cases.c.case_id).offset(offset).limit(limit)
        return [_case(row) for row in self.session.execute(query)]

    def worklist_details(self, case_ids: list[str], today: str) -> dict[str, tuple[str, str, int]]:
        """case id -> (the person's full name, the earliest open step's due date, open steps overdue)."""
        if not case_ids:
            return {}
        names = dict(
            self.session.execute(
                select(
                    cases.c.case_id,
                    func.trim(persons.c.last_name + " " + persons.c.first_name + " " + persons.c.patronymic),
                )
                .join(persons, persons.c.person_id == cases.c.person_id)
                .where(cases.c.case_id.in_(case_ids))
            ).all()
        )
        open_steps = plan_steps.c.status.in_(("planned", "in_progress"))
        steps = {
            r.case_id: (r.next_due, r.overdue)
            for r in self.session.execute(
                select(
                    plan_steps.c.case_id,
                    func.min(plan_steps.c.due_on).label("next_due"),
                    func.sum(sql_case((plan_steps.c.due_on < today, 1), else_=0)).label("overdue"),
                )
                .where(plan_steps.c.case_id.in_(case_ids), open_steps)
                .group_by(plan_steps.c.case_id)
            )
        }
        return {
            cid: (names.get(cid, ""), steps.get(cid, ("", 0))[0] or "", int(steps.get(cid, ("", 0))[1] or 0))
            for cid in case_ids
        }

    def closures(self, case_ids: list[str]) -> list[tuple[str, str]]:
        """(case id, outcome) of every closure of these cases, reopened ones included, oldest first."""
        if not case_ids:
            return []
        return [
            tuple(r)
            for r in self.session.execute(
                select(stage_changes.c.case_id, stage_changes.c.outcome)
                .where(stage_changes.c.case_id.in_(case_ids), stage_changes.c.to_stage == Stage.CLOSED.value)
                .order_by(stage_changes.c.at)
            )
        ]

    def add_stage_change(self, case_id: str, change: StageChange) -> None:
        self.session.execute(
            stage_changes.insert(),
            dict(
                case_id=case_id,
                from_stage=change.from_stage.value,
                to_stage=change.to_stage.value,
                actor_id=change.actor_id,
                actor_role=change.actor_role,
                at=change.at,
                reason=change.reason,
                outcome=change.outcome.value if change.outcome else "",
            ),
        )

    def last_reopened_on(self, case: Case) -> str:
        at = self.session.execute(
            select(func.max(stage_changes.c.at)).where(
                stage_changes.c.case_id == case.case_id, stage_changes.c.from_stage == Stage.CLOSED.value
            )
        ).scalar()
        return (at or case.opened_at).date().isoformat()

    # assessments, plans, reviews -----------------------------------------------
    def latest_assessment(self, case_id: str, version: int = 0) -> Assessment | None:
        query = select(assessments.c.document).where(assessments.c.case_id == case_id)
        query = query.where(assessments.c.version == version) if version else query
        document = self.session.execute(query.order_by(assessments.c.version.desc()).limit(1)).scalar()
        return Assessment.from_dict(json.loads(document)) if document else None

    def save_assessment(self, assessment: Assessment) -> None:
        document = json.dumps(assessment.to_dict(), ensure_ascii=False, default=str)
        key = (assessments.c.case_id == assessment.case_id) & (assessments.c.version == assessment.version)
        done = self.session.execute(
            update(assessments).where(key).values(status=assessment.status.value, document=document, updated_at=now())
        )
        if done.rowcount == 0:
            self.session.execute(
                assessments.insert(),
                dict(
                    case_id=assessment.case_id,
                    version=assessment.version,
                    status=assessment.status.value,
                    document=document,
                    updated_at=now(),
                ),
            )

    def has_approved_assessment(self, case_id: str) -> bool:
        """The latest version is approved (a re-assessment in progress does not count as approved)."""
        latest = self.session.execute(
            select(assessments.c.status)
            .where(assessments.c.case_id == case_id)
            .order_by(assessments.c.version.desc())
            .limit(1)
        ).scalar()
        return latest == Status.APPROVED.value

    def latest_plan(self, case_id: str, version: int = 0) -> Plan | None:
        query = select(plans).where(plans.c.case_id == case_id)
        query = query.where(plans.c.version == version) if version else query
        row = self.session.execute(query.order_by(plans.c.version.desc()).limit(1)).first()
        return _plan(row) if row else None

    def save_plan(self, plan: Plan) -> None:
        self.session.execute(plan_steps.delete().where(plan_steps.c.case_id == plan.case_id))
        for step in plan.steps:  # the current version's steps, indexed for reminders
            self.session.execute(
                plan_steps.insert(),
                dict(
                    case_id=plan.case_id,
                    step_id=step.step_id,
                    due_on=step.due_on,
                    status=step.status,
                    responsible_kind=step.responsible_kind,
                ),
            )
        values = _plan_row(plan)
        key = (plans.c.case_id == plan.case_id) & (plans.c.version == plan.version)
        done = self.session.execute(update(plans).where(key).values(**values))
        if done.rowcount == 0:
            self.session.execute(plans.insert(), dict(case_id=plan.case_id, version=plan.version, **values))

    def add_review(self, review: Review) -> None:
        self.session.execute(
            reviews.insert(),
            dict(
                case_id=review.case_id,
                held_on=review.held_on,
                document=json.dumps(review.to_dict(), ensure_ascii=False),
            ),
        )

    def has_review_since(self, case_id: str, since: str) -> bool:
        return (
            self.session.execute(
                select(reviews.c.seq).where(reviews.c.case_id == case_id, reviews.c.held_on >= since).limit(1)
            ).first()
            is not None
        )

    # workload ----------------------------------------------------------------
    def managers(self, community_code: str = "") -> list[CaseManager]:
        query = select(case_managers)
        if community_code:
            query = query.where(case_managers.c.community_code == community_code)
        return [
            CaseManager(
                r.manager_id,
                r.community_code,
                r.capacity,
                frozenset(json.loads(r.skills)),
                r.supervisor_id,
                bool(r.on_duty),
            )
            for r in self.session.execute(query)
        ]

    def save_manager(self, manager: CaseManager) -> None:
        values = {
            "community_code": manager.community_code,
            "capacity": manager.capacity,
            "skills": json.dumps(sorted(manager.skills)),
            "supervisor_id": manager.supervisor_id,
            "on_duty": manager.on_duty,
        }
        done = self.session.execute(
            update(case_managers).where(case_managers.c.manager_id == manager.manager_id).values(**values)
        )
        if done.rowcount == 0:
            self.session.execute(case_managers.insert(), dict(manager_id=manager.manager_id, **values))

    def loads(self, manager_ids: list[str]) -> dict[str, tuple[int, int]]:
        """manager id -> (weighted load, open cases)."""
        rows = self.session.execute(
            select(cases.c.assigned_to, cases.c.complexity, func.count())
            .where(cases.c.assigned_to.in_(manager_ids), cases.c.stage != Stage.CLOSED.value)
            .group_by(cases.c.assigned_to, cases.c.complexity)
        )
        result: dict[str, tuple[int, int]] = {}
        for manager_id, complexity, count in rows:
            weight, open_cases = result.get(manager_id, (0, 0))
            result[manager_id] = (weight + WEIGHTS.get(complexity, 2) * count, open_cases + count)
        return result

    # social history and audit ---------------------------------------------------
    def add_history(
        self,
        person_id: str,
        kind: str,
        reference: str,
        summary: str,
        source: str,
        source_id: str | None = None,
        at: datetime | None = None,
    ) -> None:
        self.session.execute(
            history.insert(),
            dict(
                person_id=person_id,
                at=at or now(),
                kind=kind,
                reference=reference,
                summary=summary,
                source=source,
                source_id=source_id,
            ),
        )

    def history_seen(self, source_id: str) -> bool:
        return self.session.execute(select(history.c.seq).where(history.c.source_id == source_id)).first() is not None

    def history_of(self, person_id: str, offset: int, limit: int) -> list:
        return self.session.execute(
            select(history)
            .where(history.c.person_id == person_id)
            .order_by(history.c.at.desc(), history.c.seq.desc())
            .offset(offset)
            .limit(limit)
        ).all()

    def history_entry(self, seq: int):
        return self.session.execute(select(history).where(history.c.seq == seq)).first()

    def mark_history_erroneous(self, seq: int, by: str, reason: str, at: datetime) -> bool:
        """Flag an entry (once); the entry itself is never changed or deleted."""
        return (
            self.session.execute(
                update(history)
                .where(history.c.seq == seq, history.c.erroneous_at.is_(None))
                .values(erroneous_at=at, erroneous_by=by, erroneous_reason=reason)
            ).rowcount
            == 1
        )

    def audit(self, entry: AuditEntry) -> None:
        self.session.execute(audit_log.insert(), entry.row())


class Ratings:
    """Recipients' ratings (one per service per case; a new rating replaces the old)."""

    def __init__(self, session):
        self.session = session

    def save(self, case: Case, service_id: str, rating: int, comment: str) -> datetime:
        at = now()
        key = (ratings.c.case_id == case.case_id) & (ratings.c.service_id == service_id)
        values = {"rating": rating, "comment": comment, "at": at}
        if self.session.execute(update(ratings).where(key).values(**values)).rowcount == 0:
            self.session.execute(
                ratings.insert(),
                dict(
                    case_id=case.case_id,
                    service_id=service_id,
                    person_id=case.person_id,
                    community_code=case.community_code,
                    **values,
                ),
            )
        return at

    def of_case(self, case_id: str) -> dict[str, int]:
        return dict(
            self.session.execute(
                select(ratings.c.service_id, ratings.c.rating).where(ratings.c.case_id == case_id)
            ).all()
        )

    def summary(self, community_code: str) -> tuple[float, int]:
        query = select(func.avg(ratings.c.rating), func.count())
        if community_code:
            query = query.where(ratings.c.community_code == community_code)
        average, count = self.session.execute(query).one()
        return float(average or 0), int(count)
