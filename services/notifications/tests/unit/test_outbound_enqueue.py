"""outbound.enqueue: a durable row in the caller's transaction, once per dedupe key; bad template
input stored as invalid with its reason (nothing will be sent)."""

from datetime import datetime, timedelta, timezone

import pytest

from notifications.adapters.orm import metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.requests import BadRequest, NotificationRequest
from notifications.service_layer.outbound import enqueue


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


def _request(**changes):
    values = dict(
        recipient_kind="applicant",
        recipient_id="appeal-1",
        template="appeal.accepted",
        variables={"tracking_number": "EKM-2026-000001"},
        dedupe_key="ack:appeal-1",
        reference="appeal-1",
    )
    values.update(changes)
    return NotificationRequest(**values)


def _rows(uow, reference="appeal-1"):
    with uow() as u:
        return u.repo.for_reference(reference)


def test_enqueue_stores_a_queued_row_with_template_version(uow):
    with uow() as u:
        notification_id = enqueue(u, _request())
        u.commit()
    [row] = _rows(uow)
    assert (row.delivery_id, row.status, row.template, row.template_version) == (
        notification_id,
        "queued",
        "appeal.accepted",
        1,
    )
    assert row.due_at is not None and row.recipient_kind == "applicant" and row.dedupe_key == "ack:appeal-1"


def test_nothing_is_stored_when_the_callers_transaction_rolls_back(uow):
    with uow() as u:
        enqueue(u, _request())  # no commit
    assert _rows(uow) == []


def test_second_enqueue_with_the_same_key_returns_the_first_id(uow):
    with uow() as u:
        first = enqueue(u, _request())
        u.commit()
    with uow() as u:
        second = enqueue(u, _request(variables={"tracking_number": "other"}))
        u.commit()
    assert first == second and len(_rows(uow)) == 1


def test_not_before_is_the_due_time(uow):
    later = datetime.now(timezone.utc) + timedelta(days=1)
    with uow() as u:
        enqueue(u, _request(not_before=later))
        u.commit()
    assert abs((_rows(uow)[0].due_at - later).total_seconds()) < 1


@pytest.mark.parametrize(
    "variables, field",
    [
        ({}, "variables.tracking_number"),  # missing
        ({"tracking_number": "x", "name": "Андрій"}, "variables.name"),  # unknown
    ],
)
def test_bad_variables_are_stored_invalid_with_the_reason(uow, variables, field):
    with uow() as u:
        enqueue(u, _request(variables=variables))
        u.commit()
    [row] = _rows(uow)
    assert row.status == "invalid" and row.due_at is None and row.error.startswith(field)


def test_unknown_template_is_invalid(uow):
    with uow() as u:
        enqueue(u, _request(template="no.such.template"))
        u.commit()
    [row] = _rows(uow)
    assert row.status == "invalid" and "невідомий шаблон" in row.error


@pytest.mark.parametrize(
    "changes",
    [dict(recipient_kind="nobody"), dict(dedupe_key=""), dict(recipient_id=""), dict(not_before=datetime(2026, 1, 1))],
)
def test_a_request_that_cannot_be_stored_is_refused(uow, changes):
    with uow() as u:
        with pytest.raises(BadRequest):
            enqueue(u, _request(**changes))
