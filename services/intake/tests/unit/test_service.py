"""The thin entrypoints, through nameko.testing.worker_factory (no broker, no network)."""

from dataclasses import replace

import pytest
from google.protobuf import json_format
from grpc import StatusCode
from nameko.testing.services import worker_factory
from nameko_grpc.errors import GrpcError

from ekm.intake.v1 import intake_pb2
from ekm_platform.auth import CallerContext, generate_keys, issue_token
from intake.adapters.orm import metadata
from intake.adapters.repository import AppealRepository
from intake.service import IntakeService


@pytest.fixture
def keys(tmp_path):
    generate_keys(tmp_path / "k.pem", tmp_path / "k.pub")
    return (tmp_path / "k.pem").read_bytes(), (tmp_path / "k.pub").read_bytes()


def caller(keys, role):
    return CallerContext(f"Bearer {issue_token('u-1', role, private_key=keys[0])}", keys[1])


def request_from(submission):
    return json_format.ParseDict(
        {
            "applicant": {
                "person": {
                    "rnokpp": submission.applicant.rnokpp,
                    "last_name": submission.applicant.last_name,
                    "first_name": submission.applicant.first_name,
                },
                "phone": submission.applicant_phone,
                "is_subject": True,
            },
            "channel": "CHANNEL_PHONE",
            "description": submission.description,
            "consent_to_processing": True,
            "community_code": submission.community_code,
        },
        intake_pb2.SubmitAppealRequest(),
    )


def test_submit_then_status(sqlite_uow, keys, valid):
    service = worker_factory(
        IntakeService, db=sqlite_uow("intake", metadata, AppealRepository), auth=caller(keys, "case_manager")
    )
    reply = service.SubmitAppeal(request_from(valid), None)
    status = service.GetAppealStatus(intake_pb2.GetAppealStatusRequest(tracking_number=reply.tracking_number), None)
    assert status.tracking_number == reply.tracking_number and status.state == intake_pb2.APPEAL_STATE_ACCEPTED


def test_domain_errors_become_grpc_statuses(sqlite_uow, keys, valid):
    service = worker_factory(
        IntakeService, db=sqlite_uow("intake", metadata, AppealRepository), auth=caller(keys, "case_manager")
    )
    with pytest.raises(GrpcError) as caught:
        service.SubmitAppeal(request_from(replace(valid, description="")), None)
    assert caught.value.code == StatusCode.INVALID_ARGUMENT and "description" in caught.value.message
    with pytest.raises(GrpcError) as caught:
        service.GetAppealStatus(intake_pb2.GetAppealStatusRequest(tracking_number="EKM-1"), None)
    assert caught.value.code == StatusCode.NOT_FOUND


def test_roles(sqlite_uow, keys, valid):
    service = worker_factory(
        IntakeService, db=sqlite_uow("intake", metadata, AppealRepository), auth=caller(keys, "donor")
    )
    with pytest.raises(GrpcError) as caught:
        service.SubmitAppeal(request_from(valid), None)
    assert caught.value.code == StatusCode.PERMISSION_DENIED
    service.auth = CallerContext(None, keys[1])
    with pytest.raises(GrpcError) as caught:
        service.SubmitAppeal(request_from(valid), None)
    assert caught.value.code == StatusCode.UNAUTHENTICATED
