"""Protobuf messages to domain objects and back."""
from __future__ import annotations

from ekm.cases.v1 import cases_pb2
from ekm.common.v1 import common_pb2

from ekm_platform.grpc_mapping import decode_page_token, encode_page_token, timestamp

from cases.domain.model import Case, Stage

STAGES = {stage: getattr(cases_pb2, f"STAGE_{stage.name}") for stage in Stage}
STAGE_NAMES = {number: stage.value for stage, number in STAGES.items()}
LEVELS = {"information": common_pb2.SCREENING_LEVEL_INFORMATION,
          "assessment": common_pb2.SCREENING_LEVEL_ASSESSMENT,
          "crisis": common_pb2.SCREENING_LEVEL_CRISIS}


def case_message(case: Case) -> cases_pb2.Case:
    return cases_pb2.Case(
        case_id=case.case_id, case_number=case.case_number, stage=STAGES[case.stage],
        screening_level=LEVELS.get(case.screening_level, 0),
        appeal_id=case.appeal_ids[0] if case.appeal_ids else "",
        community_code=case.community_code, person_id=case.person_id,
        assigned_to=case.assigned_to, opened_at=timestamp(case.opened_at), version=case.version)


def list_filters(request: cases_pb2.ListCasesRequest) -> dict:
    stage = "" if request.stage == cases_pb2.STAGE_UNSPECIFIED else STAGE_NAMES.get(request.stage, "?")
    return {"stage": stage, "community_code": request.community_code.strip(),
            "offset": decode_page_token(request.page_token), "limit": request.page_size or 50}


def list_response(found: list[Case], filters: dict) -> cases_pb2.ListCasesResponse:
    token = encode_page_token(filters["offset"] + len(found)) if len(found) == filters["limit"] else ""
    return cases_pb2.ListCasesResponse(cases=[case_message(c) for c in found], next_page_token=token)
