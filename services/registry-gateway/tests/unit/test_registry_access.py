"""LookupPerson and GetEvidence bound to the case and the caller; consent as a stored record;
cache hits recorded as cache hits; bad input is not an outage; pending queries end; the
audit log written with the evidence. The cases service is a fake with the contract's rules."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select, text

from ekm_platform import group_commit
from ekm_platform.audit import chain_pending, verify
from ekm_platform.db import make_engine
from ekm_platform.errors import NotFound, PermissionDenied
from ekm_platform.group_commit import GroupCommit
from registry_gateway.adapters.orm import audit_log, metadata, pending_queries
from registry_gateway.adapters.repository import EvidenceRepository
from registry_gateway.domain.lookup import NotApplicable, Query, RegistryReply, RegistryUnavailable, Status
from registry_gateway.domain.resilience import Policy, ResilientPort
from registry_gateway.service_layer import handlers

CASE, OTHER_CASE = "CASE-2026-AAAAAAA", "CASE-2026-BBBBBBB"
PERSON, CHILD, STRANGER = "3221512349", "3378612352", "2918112360"
PERSON_UNZR = "19880314-43212"
CROSSINGS = [{"date": date(2026, 10, 30), "direction": "in", "checkpoint": "Ягодин", "returnedFromService": True}]
REHAB = [{"kind": "rehabilitation", "on": date(2026, 11, 3)}]


def query(rnokpp=PERSON, unzr="", case_number=CASE, user_id="cm-7", purpose="оцінка потреб"):
    return Query(rnokpp=rnokpp, unzr=unzr, case_number=case_number, purpose=purpose, user_id=user_id)


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("registry-gateway", metadata, EvidenceRepository)


@pytest.fixture(autouse=True)
def two_cases(cases):
    cases.open_case(CASE, "cm-7", "person-1", rnokpp=PERSON, unzr=PERSON_UNZR, household=[{"rnokpp": CHILD}])
    cases.open_case(OTHER_CASE, "cm-8", "person-2", rnokpp=STRANGER)


class Port:
    """A registry that counts what it was asked."""

    def __init__(self, records=CROSSINGS, found=True):
        self.asked, self.records, self.found = [], records, found

    def __call__(self, q, date_from, date_to):
        self.asked.append(q)
        return RegistryReply(self.found, self.records, f"xroad-{len(self.asked)}", f"{len(self.asked):02d}" * 32)


def counts(uow):
    with uow() as u:
        return {
            name: u.session.execute(select(func.count()).select_from(metadata.tables[name])).scalar()
            for name in ("evidence", "pending_queries", "outbox", "audit_log")
        }


NOTHING = {"evidence": 0, "pending_queries": 0, "outbox": 0, "audit_log": 0}


# --- refused first: nothing asked, stored or published -------------------------------------


@pytest.mark.parametrize(
    "q, who, refused",
    [
        (query(case_number="CASE-2026-NOSUCH1"), "cm-7", NotFound),  # no such case
        (query(case_number=OTHER_CASE, rnokpp=STRANGER), "cm-7", NotFound),  # another manager's case
        (query(rnokpp=STRANGER), "cm-7", PermissionDenied),  # not the case's person nor household
        (query(unzr="19920702-43223"), "cm-7", PermissionDenied),  # the RNOKPP matches, the УНЗР is somebody else's
    ],
    ids=["unknown-case", "another-managers-case", "person-not-in-case", "second-identifier-not-in-case"],
)
def test_a_refused_lookup_asks_no_registry_and_stores_and_publishes_nothing(uow, cases, actor, q, who, refused):
    port = Port()
    with uow() as u, pytest.raises(refused) as caught:
        handlers.lookup_person(q, u, {"border_guard": port}, cases, actor(who))
    assert not port.asked and counts(uow) == NOTHING
    assert " / " in caught.value.message
    if refused is NotFound:  # an unknown case and somebody else's case look the same
        assert caught.value.message == "Випадок не знайдено / case not found"


def test_evidence_of_another_managers_case_is_not_found_and_its_read_not_audited(uow, cases, actor):
    with uow() as u:
        [answer] = handlers.lookup_person(query(), u, {"border_guard": Port()}, cases, actor("cm-7"))
    with uow() as u, pytest.raises(NotFound) as caught:
        handlers.get_evidence(answer.evidence.query_id, u, cases, actor("cm-8"))
    assert caught.value.message == "Доказ запиту не знайдено / evidence not found"
    assert counts(uow)["audit_log"] == 1  # the lookup's own entry only
    with uow() as u:
        seen = handlers.get_evidence(answer.evidence.query_id, u, cases, actor("sv-cm-7", "supervisor"))
    assert seen.user_id == "cm-7"
    with uow() as u:
        last = u.session.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    assert (last.actor_id, last.action, last.subject_id) == ("sv-cm-7", "evidence.read", f"id-{CASE}")


# --- allowed: the facts go only to the looked-up person's case ------------------------------


def test_the_case_persons_facts_go_to_their_case_with_their_person_id(uow, cases, actor):
    with uow() as u:
        [answer] = handlers.lookup_person(query(), u, {"border_guard": Port()}, cases, actor())
        [event] = u.published if u.published else [None]
    assert answer.status is Status.OK
    with uow() as u:
        outbox = u.session.execute(select(metadata.tables["outbox"])).all()
    assert len(outbox) == 1 and event.data["person_id"] == "person-1" and event.data["case_number"] == CASE
    assert "rnokpp" not in str(event.data) and PERSON not in str(event.data)


def test_a_household_members_facts_are_returned_and_evidenced_but_never_written_to_the_case_persons_history(
    uow, cases, actor
):
    with uow() as u:
        [answer] = handlers.lookup_person(query(rnokpp=CHILD), u, {"border_guard": Port()}, cases, actor())
    assert answer.status is Status.OK and answer.facts
    assert counts(uow) == {"evidence": 1, "pending_queries": 0, "outbox": 0, "audit_log": 1}


def test_the_lookup_is_audited_with_identifiers_only(uow, cases, actor):
    with uow() as u:
        [answer] = handlers.lookup_person(query(), u, {"border_guard": Port()}, cases, actor())
    with uow() as u:
        [row] = u.session.execute(select(audit_log)).all()
    assert (row.actor_id, row.actor_role, row.action, row.subject_type, row.subject_id, row.purpose) == (
        "cm-7",
        "case_manager",
        "registry.lookup",
        "case",
        f"id-{CASE}",
        "оцінка потреб",
    )
    assert answer.evidence.query_id in row.details and PERSON not in row.details


# --- consent is a stored record, not a flag --------------------------------------------------


def test_health_without_a_stored_consent_is_denied_and_not_asked(uow, cases, actor):
    health = Port(REHAB)
    with uow() as u:
        [answer] = handlers.lookup_person(query(), u, {"health": health}, cases, actor())
    assert answer.status is Status.DENIED and "consent" in answer.message and not health.asked
    assert ("active_consent", "person-1", "registry_lookup", "health") in cases.calls


def test_a_consent_for_another_registry_does_not_open_health(uow, cases, actor):
    cases.consent("person-1", "disability")
    health = Port(REHAB)
    with uow() as u:
        [answer] = handlers.lookup_person(query(), u, {"health": health}, cases, actor())
    assert answer.status is Status.DENIED and not health.asked


def test_a_household_members_health_is_denied_even_with_the_case_persons_consent(uow, cases, actor):
    cases.consent("person-1", "health")
    health = Port(REHAB)
    with uow() as u:
        [answer] = handlers.lookup_person(query(rnokpp=CHILD), u, {"health": health}, cases, actor())
    assert answer.status is Status.DENIED and not health.asked


def test_with_a_stored_consent_health_is_asked_and_the_evidence_names_the_consent(uow, cases, actor):
    cases.consent("person-1", "health", consent_id="consent-42")
    with uow() as u:
        [answer] = handlers.lookup_person(query(), u, {"health": Port(REHAB)}, cases, actor())
    assert answer.status is Status.OK
    with uow() as u:
        stored = handlers.get_evidence(answer.evidence.query_id, u, cases, actor())
    assert stored.consent_id == "consent-42"


# --- evidence is never copied ----------------------------------------------------------------


def test_a_second_users_cached_lookup_is_recorded_as_a_cache_hit_of_the_original_exchange(uow, cases, actor):
    registry = Port()
    port = ResilientPort(registry, Policy(retries=0, backoff=0))
    with uow() as u:
        [first] = handlers.lookup_person(query(purpose="оцінка потреб"), u, {"border_guard": port}, cases, actor())
    with uow() as u:
        [second] = handlers.lookup_person(
            query(user_id="sv-cm-7", purpose="перегляд випадку"),
            u,
            {"border_guard": port},
            cases,
            actor("sv-cm-7", "supervisor"),
        )
    assert len(registry.asked) == 1 and second.status is Status.OK and second.facts == first.facts
    with uow() as u:
        original = handlers.get_evidence(first.evidence.query_id, u, cases, actor())
        reuse = handlers.get_evidence(second.evidence.query_id, u, cases, actor())
    assert (original.from_cache, original.xroad_id, original.user_id) == (False, "xroad-1", "cm-7")
    assert reuse.query_id != original.query_id
    assert (reuse.from_cache, reuse.original_query_id, reuse.xroad_id, reuse.response_sha256) == (
        True,
        original.query_id,
        "",
        "",
    )
    assert (reuse.user_id, reuse.issue, reuse.purpose) == ("sv-cm-7", CASE, "перегляд випадку")


# --- bad input is not an outage; a registry down is UNAVAILABLE; pending queries end -------


def test_a_search_a_registry_cannot_make_is_not_applicable_and_never_an_outage(uow, cases, actor):
    education, border = Port(), Port()
    q = query(rnokpp="", unzr=PERSON_UNZR)
    with uow() as u:
        answers = handlers.lookup_person(q, u, {"education": education, "border_guard": border}, cases, actor())
    assert {a.registry: a.status for a in answers} == {"border_guard": Status.OK, "education": Status.NOT_APPLICABLE}
    assert not education.asked and "RNOKPP" in answers[1].message
    assert counts(uow)["pending_queries"] == 0


def test_an_adapter_that_cannot_make_the_search_gives_not_applicable_not_a_pending_query(uow, cases, actor):
    def refuses(*args):
        raise NotApplicable("пошук за РНОКПП / the search needs an RNOKPP")

    with uow() as u:
        [answer] = handlers.lookup_person(query(), u, {"border_guard": refuses}, cases, actor())
    assert answer.status is Status.NOT_APPLICABLE and counts(uow)["pending_queries"] == 0


def test_pending_queries_end_failed_after_the_attempt_limit(uow, cases, actor):
    def down(*args):
        raise RegistryUnavailable("timeout")

    with uow() as u:
        [answer] = handlers.lookup_person(query(), u, {"border_guard": down}, cases, actor())
    assert answer.status is Status.UNAVAILABLE
    for _ in range(5):
        with uow() as u:
            u.session.execute(text("UPDATE pending_queries SET next_at = '2000-01-01 00:00:00'"))
            u.commit()
        with uow() as u:
            handlers.retry_pending(u, {"border_guard": down}, cases, max_attempts=3)
    with uow() as u:
        [row] = u.session.execute(select(pending_queries)).all()
    assert (row.state, row.attempts) == ("failed", 3) and row.finished_at and "timeout" in row.last_error


def test_a_pending_health_query_whose_consent_was_withdrawn_ends_refused_unasked(uow, cases, actor):
    cases.consent("person-1", "health")
    state = {"up": False}
    asked = []

    def health(*args):
        asked.append(args)
        if not state["up"]:
            raise RegistryUnavailable("timeout")
        return RegistryReply(True, REHAB, "x", "y" * 64)

    with uow() as u:
        handlers.lookup_person(query(), u, {"health": health}, cases, actor())
    cases.withdraw("person-1", "health")
    state["up"] = True
    with uow() as u:
        u.session.execute(text("UPDATE pending_queries SET next_at = '2000-01-01 00:00:00'"))
        u.commit()
    with uow() as u:
        assert handlers.retry_pending(u, {"health": health}, cases) == 0
    with uow() as u:
        [row] = u.session.execute(select(pending_queries)).all()
    assert row.state == "refused" and len(asked) == 1 and counts(uow)["evidence"] == 0


# --- group commit: the audit rows are committed with the evidence ---------------------------


class Container:
    service_name = "registry_gateway"

    def spawn_managed_thread(self, run, identifier=None):
        threading.Thread(target=run, daemon=True).start()


@pytest.mark.timeout(30)
def test_concurrent_lookups_commit_their_audit_rows_with_their_evidence_through_group_commit(
    uow, cases, actor, tmp_path, monkeypatch
):
    uow()  # migrates the database
    url = f"sqlite:///{tmp_path / 'registry_gateway.db'}"
    monkeypatch.setattr(group_commit, "config", {"DATABASE_URL": url})
    writer = GroupCommit(metadata, EvidenceRepository)
    writer.container = Container()
    writer.setup()
    writer.start()
    try:
        errors = []

        def one(i):
            try:
                with writer.get_dependency(None)() as batched:
                    handlers.lookup_person(query(purpose=f"p{i}"), batched, {"border_guard": Port()}, cases, actor())
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
        [t.start() for t in threads]
        [t.join(20) for t in threads]
        assert not errors
    finally:
        writer.stop()
    assert counts(uow) == {"evidence": 8, "pending_queries": 0, "outbox": 8, "audit_log": 8}
    engine = make_engine(url)
    with engine.begin() as conn:
        assert chain_pending(conn, audit_log) == 8
    with engine.connect() as conn:
        result = verify(conn, audit_log)
    engine.dispose()
    assert result.ok and result.checked == 8


def test_a_cases_service_that_does_not_answer_is_unavailable_not_a_guess():
    import eventlet

    from ekm_platform.errors import Unavailable
    from registry_gateway.adapters.cases_client import CasesClient

    class Silent:
        def check_case_access(self, *args):
            eventlet.sleep(5)
            return {"status": "ok"}

        def active_consent(self, *args):
            eventlet.sleep(5)

    with pytest.raises(Unavailable) as caught:
        CasesClient(Silent(), timeout=0.05).check_case_access({"user_id": "cm-7"}, CASE, {"rnokpp": PERSON})
    assert "cases service" in caught.value.message


def test_facts_already_announced_to_the_case_are_not_announced_again_but_each_lookup_has_evidence(uow, cases, actor):
    delivered = handlers.DeliveredFacts()
    for _ in range(3):
        with uow() as u:
            handlers.lookup_person(query(), u, {"border_guard": Port()}, cases, actor(), delivered=delivered)
    with uow() as u:  # new facts for the same case are announced
        handlers.lookup_person(
            query(),
            u,
            {
                "border_guard": Port(
                    CROSSINGS
                    + [
                        {
                            "date": date(2026, 11, 20),
                            "direction": "out",
                            "checkpoint": "Ягодин",
                            "returnedFromService": False,
                        }
                    ]
                )
            },
            cases,
            actor(),
            delivered=delivered,
        )
    assert counts(uow) == {"evidence": 4, "pending_queries": 0, "outbox": 2, "audit_log": 4}


def test_facts_of_a_lookup_that_failed_to_commit_are_announced_by_the_next(uow, cases, actor):
    delivered = handlers.DeliveredFacts()
    with uow() as u:
        u.commit = lambda: (_ for _ in ()).throw(RuntimeError("database away"))
        with pytest.raises(RuntimeError):
            handlers.lookup_person(query(), u, {"border_guard": Port()}, cases, actor(), delivered=delivered)
    with uow() as u:
        handlers.lookup_person(query(), u, {"border_guard": Port()}, cases, actor(), delivered=delivered)
    assert counts(uow)["outbox"] == 1
