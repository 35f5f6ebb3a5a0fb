"""The cases service: thin nameko entrypoints over service_layer.handlers."""
from functools import partial

from ekm.cases.v1 import cases_pb2_grpc
from nameko.events import event_handler
from nameko.rpc import ServiceRpc, rpc
from nameko_grpc.entrypoint import Grpc

from ekm_platform.dependencies import Auth, Database, handle_event
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.tracing import tag_current_span

from cases.adapters import grpc_mapping
from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.service_layer import handlers

grpc = Grpc.implementing(cases_pb2_grpc.CaseServiceStub)

CASE_READERS = ("case_manager", "supervisor", "operator")


class CasesService(StandardGrpc):
    name = "cases"

    db = Database(metadata, CaseRepository)
    outbox = OutboxRelay()
    auth = Auth()
    intake = ServiceRpc("intake")

    @grpc
    @endpoint
    def GetCase(self, request, context):
        self.auth.require(*CASE_READERS)
        with self.db() as uow:
            case = handlers.get_case(uow, case_id=request.case_id.strip(),
                                     case_number=request.case_number)
        tag_current_span(case_number=case.case_number)
        return grpc_mapping.case_message(case)

    @grpc
    @endpoint
    def ListCases(self, request, context):
        self.auth.require(*CASE_READERS)
        filters = grpc_mapping.list_filters(request)
        with self.db() as uow:
            found = handlers.list_cases(uow, **filters)
        return grpc_mapping.list_response(found, filters)

    @rpc
    def case_is_open(self, case_number):
        with self.db() as uow:
            return handlers.case_is_open(uow, case_number)

    @event_handler("intake", "appeal.accepted", requeue_on_error=True)
    def on_appeal_accepted(self, body):
        handler = partial(handlers.open_case_for_appeal, fetch_subject=self.intake.get_appeal_subject)
        handle_event(self.db, "cases.on_appeal_accepted", body, handler)


SERVICE = CasesService
