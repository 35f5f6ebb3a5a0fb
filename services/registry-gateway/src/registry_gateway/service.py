"""The registry gateway: thin nameko entrypoints over service_layer.handlers."""

import os

from nameko.rpc import ServiceRpc, rpc
from nameko.timer import timer
from nameko_grpc.entrypoint import Grpc

from ekm.registry.v1 import registry_pb2_grpc
from ekm_platform.dependencies import AuditChainer, Auth, Database
from ekm_platform.group_commit import GroupCommit
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.tracing import tag_current_span
from registry_gateway.adapters import grpc_mapping
from registry_gateway.adapters.cases_client import CasesClient
from registry_gateway.adapters.orm import audit_log, metadata
from registry_gateway.adapters.repository import EvidenceRepository
from registry_gateway.dependencies import Feeds, Registries
from registry_gateway.service_layer import handlers, signals

grpc = Grpc.implementing(registry_pb2_grpc.RegistryGatewayStub)

ASKERS = ("case_manager", "supervisor")
EVIDENCE_READERS = ("case_manager", "supervisor", "operator")
MAX_ATTEMPTS = int(os.environ.get("EKM_REGISTRY_PENDING_MAX_ATTEMPTS", handlers.MAX_ATTEMPTS))
DELIVERED = handlers.DeliveredFacts()  # facts this process already announced to a case (no repeat events)


class RegistryGatewayService(StandardGrpc):
    name = "registry_gateway"

    db = Database(metadata, EvidenceRepository)
    evidence_store = GroupCommit(metadata, EvidenceRepository)  # lookups only add rows: committed together
    outbox = OutboxRelay()
    audit_chain = AuditChainer(audit_log)
    auth = Auth()
    cases = ServiceRpc("cases")  # check_case_access, active_consent
    registries = Registries()
    feeds = Feeds()

    @grpc
    @endpoint
    def LookupPerson(self, request, context):
        principal = self.auth.require(*ASKERS)
        query = grpc_mapping.query_from(request, principal.user_id)  # request.consent_recorded is ignored
        with self.evidence_store() as uow:  # evidence, pending queries, events and audit rows: one commit
            answers = handlers.lookup_person(
                query,
                uow,
                self.registries,
                CasesClient(self.cases),
                principal.as_actor(),
                list(request.registries) or None,
                delivered=DELIVERED,
            )
        tag_current_span(case_number=query.case_number)
        return grpc_mapping.lookup_response(answers)

    @timer(interval=10)
    def retry_pending_queries(self):
        """Queries a registry could not answer are asked again, with backoff."""
        with self.db() as uow:
            handlers.retry_pending(uow, self.registries, CasesClient(self.cases), max_attempts=MAX_ATTEMPTS)

    @timer(interval=int(__import__("os").environ.get("EKM_RETURNS_POLL_SECONDS", "30")))
    def poll_new_returns(self):
        """The border guard's feed of returns from service becomes registry signals."""
        with self.db() as uow:
            signals.poll_new_returns(uow, self.feeds.new_returns)

    @rpc
    def get_signal_subject(self, signal_id):
        """The person a registry signal is about — for intake's proactive outreach only."""
        with self.db() as uow:
            return signals.signal_subject(uow, signal_id)

    @grpc
    @endpoint
    def GetEvidence(self, request, context):
        principal = self.auth.require(*EVIDENCE_READERS)
        with self.db() as uow:
            return grpc_mapping.evidence_message(
                handlers.get_evidence(request.query_id, uow, CasesClient(self.cases), principal.as_actor())
            )


SERVICE = RegistryGatewayService
