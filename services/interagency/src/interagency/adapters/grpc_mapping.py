"""Protobuf messages to domain objects and back."""
from ekm.interagency.v1 import interagency_pb2

from ekm_platform.grpc_mapping import timestamp

from interagency.domain.model import Referral, ReferralState, Sector

SECTORS = {getattr(interagency_pb2, f"SECTOR_{s.name}"): s for s in Sector}
SECTOR_NUMBERS = {s: n for n, s in SECTORS.items()}
STATES = {s: getattr(interagency_pb2, f"REFERRAL_STATE_{s.name}") for s in ReferralState}


def create_arguments(request: interagency_pb2.CreateReferralRequest) -> dict:
    return {"case_number": request.case_number.strip().upper(), "sector": SECTORS.get(request.sector),
            "agency_code": request.agency_code.strip(), "reason": request.reason,
            "client_request_id": request.client_request_id.strip()[:64]}


def referral_message(referral: Referral) -> interagency_pb2.Referral:
    return interagency_pb2.Referral(
        referral_id=referral.referral_id, case_number=referral.case_number,
        sector=SECTOR_NUMBERS[referral.sector], agency_code=referral.agency_code,
        state=STATES[referral.state], created_at=timestamp(referral.created_at))
