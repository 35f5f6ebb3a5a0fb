"""The notifications service: thin nameko entrypoints over service_layer.handlers."""
from functools import partial

from ekm.notifications.v1 import notifications_pb2_grpc
from nameko import config
from ekm_platform.events import event_handler  # retries with back-off, then dead letters
from nameko.rpc import ServiceRpc
from nameko_grpc.entrypoint import Grpc

from ekm_platform.case_access import bounded
from ekm_platform.dependencies import Auth, AuditChainer, Database, handle_event
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay

from notifications.adapters import grpc_mapping
from notifications.adapters.orm import audit_log, metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.dependencies import Senders
from notifications.service_layer import handlers

grpc = Grpc.implementing(notifications_pb2_grpc.NotificationServiceStub)

LOG_READERS = ("case_manager", "supervisor", "operator")


class NotificationsService(StandardGrpc):
    name = "notifications"

    db = Database(metadata, DeliveryRepository)
    outbox = OutboxRelay()
    audit_chain = AuditChainer(audit_log)
    auth = Auth()
    intake = ServiceRpc("intake")
    cases = ServiceRpc("cases")
    senders = Senders()

    @grpc
    @endpoint
    def ListDeliveries(self, request, context):
        principal = self.auth.require(*LOG_READERS)
        timeout = float(config.get("RPC_TIMEOUT", 10))
        with self.db() as uow:
            found = handlers.deliveries_for(
                request.reference, principal, uow,
                case_of_appeal=bounded(self.intake.appeal_case_number, timeout, "intake"),
                check_case_access=bounded(self.cases.check_case_access, timeout, "cases"))
        return grpc_mapping.deliveries_response(found)

    @event_handler("intake", "appeal.accepted")
    def on_appeal_accepted(self, body):
        handler = partial(handlers.acknowledge_appeal, fetch_contact=self.intake.get_applicant_contact,
                          senders=self.senders)
        handle_event(self.db, "notifications.on_appeal_accepted", body, handler)


SERVICE = NotificationsService
