"""The intake service: thin nameko entrypoints over service_layer.handlers."""

from functools import partial

from nameko.rpc import ServiceRpc, rpc
from nameko_grpc.entrypoint import Grpc

from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform.auth import Principal
from ekm_platform.dependencies import AuditChainer, Auth, Database, handle_event
from ekm_platform.errors import PlatformError
from ekm_platform.events import event_handler  # retries with back-off, then dead letters
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.tracing import tag_current_span
from intake.adapters import channel_mapping, grpc_mapping
from intake.adapters.calling_service import CallingService
from intake.adapters.orm import audit_log, metadata
from intake.adapters.repository import AppealRepository
from intake.domain.model import Channel
from intake.domain.screening import configured_version, load_rules
from intake.service_layer import dedup, handlers, routing

grpc = Grpc.implementing(intake_pb2_grpc.IntakeServiceStub)

SUBMITTERS = ("case_manager", "supervisor", "recipient", "partner_agency", "operator")
REVIEWERS = ("case_manager", "supervisor")
routing.default_codifier().unit("UA80000000000093317")  # КАТОТТГ parsed (or read from its cache) before serving
READERS = ("case_manager", "supervisor", "recipient", "operator")
STAFF = ("case_manager", "supervisor", "operator")
load_rules(configured_version())  # an unusable screening table stops the service at start, naming the problem


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
            merged = len(uow.repo.merged_into(appeal.appeal_id))
        tag_current_span(tracking_number=appeal.tracking_number)
        return grpc_mapping.status_response(appeal, merged_appeals=merged)

    @grpc
    @endpoint
    def ListMyAppeals(self, request, context):
        principal = self.auth.require("recipient")
        with self.db() as uow:
            found = handlers.my_appeals(uow, principal, request.page_size or 20)
        return intake_pb2.ListMyAppealsResponse(appeals=[grpc_mapping.status_response(a) for a in found])

    @grpc
    @endpoint
    def OverrideScreening(self, request, context):
        principal = self.auth.require("case_manager", "supervisor")
        with self.db() as uow:
            appeal = handlers.override_screening(
                uow,
                principal,
                request.tracking_number,
                grpc_mapping.LEVEL_CODES.get(request.screening_level, ""),
                request.reason,
            )
        tag_current_span(tracking_number=appeal.tracking_number, appeal_id=appeal.appeal_id)
        return grpc_mapping.screening(appeal.screening)

    @grpc
    @endpoint
    def RecordConsultation(self, request, context):
        principal = self.auth.require(*STAFF)
        with self.db() as uow:
            appeal, consultation = handlers.record_consultation(
                uow, principal, request.tracking_number, request.advice, list(request.topics)
            )
        tag_current_span(tracking_number=appeal.tracking_number, appeal_id=appeal.appeal_id)
        return grpc_mapping.consultation(appeal, consultation)

    @grpc
    @endpoint
    def GetAppealHistory(self, request, context):
        principal = self.auth.require(*STAFF)
        with self.db() as uow:
            found = handlers.appeal_history(uow, principal, request.tracking_number)
        tag_current_span(tracking_number=found[0].tracking_number)
        return grpc_mapping.history_response(*found)

    @rpc
    def submit_chatbot_appeal(self, bot, message):
        """Internal, from the signed webhook (``intake.webhook``) only: ``bot`` is
        ``{"bot_id", "community_code"}`` of the verified bot, ``message`` the JSON it sent.
        Answers ``channel_mapping.accepted`` or ``refused`` (nothing stored)."""
        principal = Principal(f"chatbot:{bot['bot_id']}"[:64], "chatbot", str(bot.get("community_code") or ""))
        return self._submit_json(
            principal, message, Channel.CHATBOT, "message_id", "conversation_id", f"chatbot:{bot['bot_id']}:"
        )

    @rpc
    def submit_agency_referral(self, actor, referral):
        """Internal, from interagency: another agency's referral as an appeal. ``actor`` is the
        partner agency (``Principal.as_actor()``, role partner_agency); ``referral`` has the
        chat-bot message's fields with ``referral_number`` as its key and source reference."""
        principal = Principal.from_actor(actor)
        return self._submit_json(
            principal,
            referral,
            Channel.AGENCY_REFERRAL,
            "referral_number",
            "referral_number",
            f"agency:{principal.organisation or principal.user_id}:",
        )

    def _submit_json(self, principal, message, channel, key_field, reference_field, prefix):
        try:
            submission = channel_mapping.submission_from_message(message, channel, key_field, reference_field, prefix)
            with self.db() as uow:
                appeal = handlers.submit_appeal(submission, uow, principal)
        except PlatformError as exc:
            return channel_mapping.refused(exc)
        tag_current_span(tracking_number=appeal.tracking_number, appeal_id=appeal.appeal_id)
        return channel_mapping.accepted(appeal)

    @rpc
    def get_appeal_subject(self, appeal_id):
        with self.db() as uow:
            return handlers.appeal_subject(appeal_id, uow, self.caller_service)

    @rpc
    def get_applicant_contact(self, appeal_id):
        with self.db() as uow:
            return handlers.applicant_contact(appeal_id, uow, self.caller_service)

    @rpc
    def get_applicant_contacts(self, appeal_ids):
        """Internal (notifications' dispatcher): ``{appeal_id: contact | None}`` for a batch, one call."""
        with self.db() as uow:
            return handlers.applicant_contacts(list(appeal_ids), uow, self.caller_service)

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

    # --- de-duplication: the manual review of uncertain person matches; routing: the region queue ---

    @rpc
    def register_community(self, code, name="", providers=()):
        """Internal (``ekm demo``, a deployment's set-up): serve a community and its providers."""
        with self.db() as uow:
            return routing.register_community(uow, code, name, list(providers))

    @event_handler("cases", "case.match_review_needed")
    def on_match_review_needed(self, body):
        handle_event(self.db, "intake.on_match_review_needed", body, dedup.open_match_review)

    @grpc
    @endpoint
    def ListMatchReviews(self, request, context):
        principal = self.auth.require(*REVIEWERS)
        with self.db() as uow:
            found = dedup.list_reviews(uow, principal, request.include_decided, request.page_size or 50)
        return intake_pb2.ListMatchReviewsResponse(
            reviews=[grpc_mapping.review_summary(r, number) for r, number in found]
        )

    @grpc
    @endpoint
    def GetMatchReview(self, request, context):
        principal = self.auth.require(*REVIEWERS)
        with self.db() as uow:
            view = dedup.review_view(uow, principal, request.review_id, self.cases.match_candidates)
        tag_current_span(appeal_id=view["review"].appeal_id)
        return grpc_mapping.review_response(view)

    @grpc
    @endpoint
    def DecideMatchReview(self, request, context):
        principal = self.auth.require(*REVIEWERS)
        with self.db() as uow:
            view = dedup.decide_review(
                uow, principal, request.review_id, request.person_id, request.reason, self.cases.match_candidates
            )
        tag_current_span(appeal_id=view["review"].appeal_id)
        return grpc_mapping.review_response(view)

    @grpc
    @endpoint
    def ListRegionQueue(self, request, context):
        principal = self.auth.require("supervisor")
        with self.db() as uow:
            appeals, names = routing.region_queue(uow, principal, request.region_code.strip(), request.page_size or 50)
        return intake_pb2.ListRegionQueueResponse(
            appeals=[
                grpc_mapping.queue_item(a, names.get(a.region_code, ""), names.get(a.routing_unit, ""), a.routing_unit)
                for a in appeals
            ]
        )

    @grpc
    @endpoint
    def AssignRegionQueueAppeal(self, request, context):
        principal = self.auth.require("supervisor")
        with self.db() as uow:
            appeal = routing.assign_from_queue(
                uow, principal, request.appeal_id, request.community_code, request.reason
            )
        tag_current_span(tracking_number=appeal.tracking_number, appeal_id=appeal.appeal_id)
        return grpc_mapping.status_response(appeal)


SERVICE = IntakeService
