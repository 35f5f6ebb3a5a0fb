"""The interagency service: thin nameko entrypoints over service_layer.handlers."""
from ekm.interagency.v1 import interagency_pb2_grpc
from nameko.rpc import ServiceRpc
from nameko_grpc.entrypoint import Grpc

from ekm_platform.dependencies import Auth, Database
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.tracing import tag_current_span

from interagency.adapters import grpc_mapping
from interagency.adapters.orm import metadata
from interagency.adapters.repository import ReferralRepository
from interagency.service_layer import handlers

grpc = Grpc.implementing(interagency_pb2_grpc.InteragencyServiceStub)

REFERRERS = ("case_manager", "supervisor")
READERS = ("case_manager", "supervisor", "partner_agency", "operator")


class InteragencyService(StandardGrpc):
    name = "interagency"

    db = Database(metadata, ReferralRepository)
    outbox = OutboxRelay()
    auth = Auth()
    cases = ServiceRpc("cases")

    @grpc
    @endpoint
    def CreateReferral(self, request, context):
        principal = self.auth.require(*REFERRERS)
        arguments = grpc_mapping.create_arguments(request)
        with self.db() as uow:
            referral = handlers.create_referral(uow, self.cases.case_is_open,
                                                created_by=principal.user_id, **arguments)
        tag_current_span(case_number=referral.case_number, referral_id=referral.referral_id)
        return grpc_mapping.referral_message(referral)

    @grpc
    @endpoint
    def GetReferral(self, request, context):
        principal = self.auth.require(*READERS)
        agency = principal.organisation if principal.role == "partner_agency" else None
        with self.db() as uow:
            referral = handlers.get_referral(uow, request.referral_id, agency)
        return grpc_mapping.referral_message(referral)


SERVICE = InteragencyService
