"""The interagency service: thin nameko entrypoints over service_layer.handlers."""
from ekm.interagency.v1 import interagency_pb2_grpc
from nameko import config
from nameko.rpc import ServiceRpc
from nameko_grpc.entrypoint import Grpc

from ekm_platform.case_access import bounded
from ekm_platform.dependencies import Auth, AuditChainer, Database
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.tracing import tag_current_span

from interagency.adapters import grpc_mapping
from interagency.adapters.orm import audit_log, metadata
from interagency.adapters.repository import ReferralRepository
from interagency.service_layer import handlers

grpc = Grpc.implementing(interagency_pb2_grpc.InteragencyServiceStub)

REFERRERS = ("case_manager", "supervisor")
READERS = ("case_manager", "supervisor", "partner_agency", "operator")


class InteragencyService(StandardGrpc):
    name = "interagency"

    db = Database(metadata, ReferralRepository)
    outbox = OutboxRelay()
    audit_chain = AuditChainer(audit_log)
    auth = Auth()
    cases = ServiceRpc("cases")

    def _case_access(self):
        """``cases.check_case_access`` with a deadline (a silent cases service is UNAVAILABLE)."""
        return bounded(self.cases.check_case_access, float(config.get("RPC_TIMEOUT", 10)), "cases")

    @grpc
    @endpoint
    def CreateReferral(self, request, context):
        principal = self.auth.require(*REFERRERS)
        arguments = grpc_mapping.create_arguments(request)
        with self.db() as uow:
            referral = handlers.create_referral(uow, self._case_access(), principal, **arguments)
        tag_current_span(case_number=referral.case_number, referral_id=referral.referral_id)
        return grpc_mapping.referral_message(referral)

    @grpc
    @endpoint
    def GetReferral(self, request, context):
        principal = self.auth.require(*READERS)
        with self.db() as uow:
            referral = handlers.get_referral(uow, self._case_access(), principal, request.referral_id)
        tag_current_span(case_number=referral.case_number, referral_id=referral.referral_id)
        return grpc_mapping.referral_message(referral)


SERVICE = InteragencyService
