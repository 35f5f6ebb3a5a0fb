"""Consent records and erroneous-history flags on both databases (SQLite and PostgreSQL): the
time-zone-aware expiry comparison, withdrawal once, the flag kept with the entry."""

from datetime import datetime, timedelta, timezone
from functools import partial

import pytest

from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.domain.consent import Consent
from cases.domain.workload import CaseManager
from cases.service_layer import consents, corrections, handlers, workload
from ekm_platform import config
from ekm_platform.auth import Principal
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition
from ekm_platform.migrations import migrate
from ekm_platform.unit_of_work import UnitOfWork

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
COMMUNITY, RECEIVER = "UA80000000000093317", "UA46000000000026241"
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "",
    "birth_date": "1988-03-14",
}


@pytest.fixture
def uow(database_url, tmp_path, monkeypatch):
    if database_url:
        monkeypatch.setenv("EKM_DATABASE_URL", database_url)
        url = config.database_url("cases")
    else:
        url = f"sqlite:///{tmp_path / 'cases.db'}"
    migrate(url, "cases.adapters.migrations")
    engine = make_engine(url)
    yield partial(UnitOfWork, make_session_factory(engine), metadata.tables, "cases", CaseRepository)
    engine.dispose()


def test_consents_expire_withdraw_once_and_history_flags_stay(uow):
    with uow() as u:
        workload.register_manager(u, CaseManager("cm-1", COMMUNITY, 10, frozenset({"veterans"}), "sv-1"))
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-1", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        case = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()
    now = datetime.now(timezone.utc)
    with uow() as u:
        recorded = consents.record_consent(
            u,
            Principal("cm-1", "case_manager"),
            Consent(
                "",
                case.case_id,
                "transfer",
                RECEIVER,
                ("identity",),
                "person",
                "written",
                now - timedelta(hours=1),
                now + timedelta(days=10),
                "",
            ),
        )
    with uow() as u:
        assert consents.active_consent(u, case.person_id, "transfer", RECEIVER)["consent_id"] == recorded.consent_id
        assert consents.active_consent(u, case.person_id, "transfer", RECEIVER, at=now + timedelta(days=11)) is None
    with uow() as u:
        consents.withdraw_consent(u, Principal("sv-1", "supervisor"), recorded.consent_id, "відкликала")
    with uow() as u:
        assert not u.repo.consents.save_withdrawal(recorded.withdraw("cm-1", "ще раз"))
        stored = u.repo.consents.get(recorded.consent_id)
    assert stored.withdrawn_by == "sv-1" and stored.given_at == recorded.given_at
    with uow() as u:
        assert consents.active_consent(u, case.person_id, "transfer", RECEIVER) is None
        entry = u.repo.history_of(case.person_id, 0, 100)[-1]
    with uow() as u:
        corrections.mark_erroneous(u, Principal("sv-1", "supervisor"), case.person_id, entry.seq, "не та особа")
    with uow() as u, pytest.raises(FailedPrecondition):
        corrections.mark_erroneous(u, Principal("sv-1", "supervisor"), case.person_id, entry.seq, "ще раз")
    with uow() as u:
        flagged = u.repo.history_entry(entry.seq)
    assert (flagged.summary, flagged.erroneous_by, flagged.erroneous_reason) == (entry.summary, "sv-1", "не та особа")
    assert flagged.erroneous_at.tzinfo is not None
