"""The intake service: thin nameko entrypoints over service_layer.handlers."""
from ekm.intake.v1 import intake_pb2_grpc
from ekm_platform.events import event_handler  # retries with back-off, then dead letters
from functools import partial

from nameko.rpc import ServiceRpc, rpc
from nameko_grpc.entrypoint import Grpc

from ekm_platform.auth import Principal
from ekm_platform.dependencies import Auth, AuditChainer, Database, handle_event
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.tracing import tag_current_span

from intake.adapters import grpc_mapping
from intake.adapters.calling_service import CallingService
from intake.adapters.orm import audit_log, metadata
from intake.adapters.repository import AppealRepository
from intake.service_layer import handlers

grpc = Grpc.implementing(intake_pb2_grpc.IntakeServiceStub)

SUBMITTERS = ("case_manager", "supervisor", "recipient", "partner_agency", "operator")
READERS = ("case_manager", "supervisor", "recipient", "operator")


class IntakeService(StandardGrpc):
    name = "intake"

    db = Database(metadata, AppealRepository)
    outbox = OutboxRelay()
    audit_chain = AuditChainer(audit_log)
    auth = Auth()
    caller_service = CallingService()
    gateway = ServiceRpc("registry_gateway")
    cases = ServiceRpc("cases")

    @grpc
    @endpoint
    def SubmitAppeal(self, request, context):
        principal = self.auth.require(*SUBMITTERS)
        submission = grpc_mapping.submission_from_proto(request)
        with self.db() as uow:
            appeal = handlers.submit_appeal(submission, uow, principal)
        tag_current_span(tracking_number=appeal.tracking_number, appeal_id=appeal.appeal_id)
        return grpc_mapping.submit_response(appeal)

    @grpc
    @endpoint
    def GetAppealStatus(self, request, context):
        principal = self.auth.require(*READERS)
        with self.db() as uow:
            appeal = handlers.appeal_status(request.tracking_number, uow, principal, self.cases.check_case_access)
        tag_current_span(tracking_number=appeal.tracking_number)
        return grpc_mapping.status_response(appeal)

    @rpc
    def get_appeal_subject(self, appeal_id):
        with self.db() as uow:
            return handlers.appeal_subject(appeal_id, uow, self.caller_service)

    @rpc
    def get_applicant_contact(self, appeal_id):
        with self.db() as uow:
            return handlers.applicant_contact(appeal_id, uow, self.caller_service)

    @rpc
    def get_appeal_details(self, appeal_id, actor):
        """Internal: the appeal as its case worker sees it (cases checks the relation first);
        ``actor`` is ``Principal.as_actor()`` of the person asking. None for an unknown appeal."""
        principal = Principal.from_actor(actor)
        with self.db() as uow:
            return handlers.appeal_details(appeal_id, principal, uow)

    @rpc
    def appeal_case_number(self, appeal_id):
        """Internal: the case number the appeal opened or attached to, or None."""
        with self.db() as uow:
            return handlers.appeal_case_number(appeal_id, uow)

    @event_handler("cases", "case.opened")
    def on_case_opened(self, body):
        handle_event(self.db, "intake.on_case_opened", body, handlers.record_case_opened)

    @event_handler("registry_gateway", "registry.person.returned_from_service")
    def on_returned_from_service(self, body):
        handler = partial(handlers.open_outreach_appeal, fetch_subject=self.gateway.get_signal_subject)
        handle_event(self.db, "intake.on_returned_from_service", body, handler)

    @event_handler("cases", "case.appeal_linked")
    def on_appeal_linked(self, body):
        handle_event(self.db, "intake.on_appeal_linked", body, handlers.record_case_opened)


SERVICE = IntakeService
