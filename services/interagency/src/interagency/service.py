"""The interagency service: thin nameko entrypoints over service_layer.handlers."""

from nameko import config
from nameko.rpc import ServiceRpc, rpc
from nameko_grpc.entrypoint import Grpc

from ekm.interagency.v1 import interagency_pb2_grpc
from ekm_platform.case_access import bounded
from ekm_platform.dependencies import AuditChainer, Auth, Database
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.tracing import tag_current_span
from interagency.adapters import fhir, grpc_mapping
from interagency.adapters import resource_mapping as rm
from interagency.adapters.orm import audit_log, metadata
from interagency.adapters.repository import ReferralRepository
from interagency.service_layer import agencies, conferences, handlers, inbound, resources

handlers.response_days()  # a process with an unreadable EKM_REFERRAL_RESPONSE_DAYS refuses to start
handlers.completion_days()  # nor with an unreadable EKM_REFERRAL_COMPLETION_DAYS

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
    intake = ServiceRpc("intake")

    def _case_access(self):
        """``cases.check_case_access`` with a deadline (a silent cases service is UNAVAILABLE)."""
        return bounded(self.cases.check_case_access, float(config.get("RPC_TIMEOUT", 10)), "cases")

    def _cases(self, method: str):
        """Another ``cases`` RPC with the same deadline (active_consent, referral_person_data, add_plan_steps)."""
        return bounded(getattr(self.cases, method), float(config.get("RPC_TIMEOUT", 10)), "cases")

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

    @grpc
    @endpoint
    def ListAgencies(self, request, context):
        principal = self.auth.require(*READERS)
        with self.db() as uow:
            found = agencies.list_agencies(
                uow, principal, grpc_mapping.SECTORS.get(request.sector), request.community_code.strip()
            )
        return grpc_mapping.interagency_pb2.ListAgenciesResponse(
            agencies=[grpc_mapping.agency_message(a) for a in found]
        )

    @grpc
    @endpoint
    def GetReferralDetails(self, request, context):
        principal = self.auth.require(*READERS)
        with self.db() as uow:
            referral, transitions, shared = handlers.referral_details(
                uow,
                self._case_access(),
                principal,
                request.referral_id,
                self._cases("active_consent"),
                self._cases("referral_person_data"),
            )
        tag_current_span(case_number=referral.case_number, referral_id=referral.referral_id)
        return grpc_mapping.details_message(referral, transitions, shared)

    @grpc
    @endpoint
    def ListReferrals(self, request, context):
        principal = self.auth.require(*READERS)
        offset, limit = grpc_mapping.page(request)
        with self.db() as uow:
            found = handlers.list_referrals(
                uow,
                self._case_access(),
                principal,
                request.case_number,
                grpc_mapping.states_from(request.states),
                offset,
                limit,
            )
        return grpc_mapping.referrals_page(found, offset, limit)

    @grpc
    @endpoint
    def AcceptReferral(self, request, context):
        principal = self.auth.require("partner_agency")
        with self.db() as uow:
            return grpc_mapping.referral_message(
                handlers.accept_referral(uow, principal, request.referral_id, request.note)
            )

    @grpc
    @endpoint
    def RejectReferral(self, request, context):
        principal = self.auth.require("partner_agency")
        with self.db() as uow:
            return grpc_mapping.referral_message(
                handlers.reject_referral(
                    uow, principal, request.referral_id, grpc_mapping.reason_from(request.reason), request.note
                )
            )

    @grpc
    @endpoint
    def CompleteReferral(self, request, context):
        principal = self.auth.require("partner_agency")
        with self.db() as uow:
            return grpc_mapping.referral_message(
                handlers.complete_referral(uow, principal, request.referral_id, request.outcome, request.success)
            )

    @grpc
    @endpoint
    def RevokeReferral(self, request, context):
        principal = self.auth.require(*REFERRERS)
        with self.db() as uow:
            return grpc_mapping.referral_message(
                handlers.revoke_referral(uow, self._case_access(), principal, request.referral_id, request.reason)
            )

    @grpc
    @endpoint
    def ExportReferralFhir(self, request, context):
        principal = self.auth.require(*READERS)
        with self.db() as uow:
            referral = handlers.export_fhir(uow, self._case_access(), principal, request.referral_id)
        return grpc_mapping.interagency_pb2.FhirDocument(json=fhir.to_json(referral))

    @grpc
    @endpoint
    def ImportReferralFhir(self, request, context):
        principal = self.auth.require(*REFERRERS, "partner_agency")
        parsed = fhir.parse(request.json)
        with self.db() as uow:
            return grpc_mapping.referral_message(handlers.import_fhir(uow, self._case_access(), principal, parsed))

    @grpc
    @endpoint
    def CreateConference(self, request, context):
        principal = self.auth.require(*REFERRERS)
        draft = grpc_mapping.conference_from(request)
        with self.db() as uow:
            return grpc_mapping.conference_message(
                conferences.create_conference(uow, self._case_access(), principal, draft)
            )

    @grpc
    @endpoint
    def GetConference(self, request, context):
        principal = self.auth.require(*REFERRERS, "partner_agency")
        with self.db() as uow:
            return grpc_mapping.conference_message(
                conferences.get_conference(uow, self._case_access(), principal, request.conference_id)
            )

    @grpc
    @endpoint
    def ListConferences(self, request, context):
        principal = self.auth.require(*REFERRERS, "partner_agency")
        with self.db() as uow:
            found = conferences.list_conferences(uow, self._case_access(), principal, request.case_number)
        return grpc_mapping.interagency_pb2.ListConferencesResponse(
            conferences=[grpc_mapping.conference_message(c) for c in found]
        )

    @grpc
    @endpoint
    def ConcludeConference(self, request, context):
        principal = self.auth.require(*REFERRERS)
        decisions = grpc_mapping.decisions_from(request.decisions)
        with self.db() as uow:
            return grpc_mapping.conference_message(
                conferences.conclude_conference(
                    uow, self._case_access(), self._cases("add_plan_steps"), principal, request.conference_id, decisions
                )
            )

    @grpc
    @endpoint
    def ListAgencyTasks(self, request, context):
        principal = self.auth.require("partner_agency")
        with self.db() as uow:
            found = conferences.agency_tasks(uow, principal)
        return grpc_mapping.interagency_pb2.ListAgencyTasksResponse(
            tasks=[grpc_mapping.task_message(c, d) for c, d in found]
        )

    @grpc
    @endpoint
    def CompleteAgencyTask(self, request, context):
        principal = self.auth.require("partner_agency")
        with self.db() as uow:
            return grpc_mapping.task_message(
                *conferences.complete_agency_task(
                    uow, self._cases("mark_agency_step"), principal, request.conference_id, request.step_id
                )
            )

    # --- community resource bank, donor cabinet, state reports (service_layer.resources) ---
    @grpc
    @endpoint
    def CreateOffer(self, request, context):
        principal = self.auth.require(*resources.OFFERERS)
        with self.db() as uow:
            return rm.offer_message(resources.create_offer(uow, principal, **rm.create_arguments(request)))

    @grpc
    @endpoint
    def GetOffer(self, request, context):
        with self.db() as uow:
            return rm.offer_message(resources.get_offer(uow, self.auth.principal, request.offer_id))

    @grpc
    @endpoint
    def ListOffers(self, request, context):
        with self.db() as uow:
            return rm.offers_message(
                resources.list_offers(
                    uow,
                    self.auth.principal,
                    rm.SERVICE_TYPE.code(request.service_type),
                    request.region,
                    request.active_only,
                )
            )

    @grpc
    @endpoint
    def WithdrawOffer(self, request, context):
        with self.db() as uow:
            return rm.offer_message(resources.withdraw_offer(uow, self.auth.principal, request.offer_id))

    @grpc
    @endpoint
    def MatchResources(self, request, context):
        with self.db() as uow:
            profile, matches = resources.match_resources(
                uow, self._cases("case_needs"), self.auth.principal, request.case_number
            )
        tag_current_span(case_number=profile.case_number)
        return rm.match_message(profile, matches)

    @grpc
    @endpoint
    def BookResource(self, request, context):
        with self.db() as uow:
            booking, remaining = resources.book_resource(
                uow,
                self._cases("case_needs"),
                self.auth.principal,
                request.offer_id,
                request.case_number,
                request.client_request_id,
            )
        tag_current_span(case_number=booking.case_number)
        return rm.booking_message(booking, remaining)

    @grpc
    @endpoint
    def CancelBooking(self, request, context):
        with self.db() as uow:
            return rm.booking_message(
                resources.cancel_booking(uow, self._case_access(), self.auth.principal, request.booking_id)
            )

    @grpc
    @endpoint
    def GetDonorReport(self, request, context):
        with self.db() as uow:
            table, offers = resources.donor_report(uow, self.auth.principal, request.offer_id, request.k)
        return rm.pb.DonorReport(recipients=rm.table_message(table), offers=offers)

    @grpc
    @endpoint
    def GetCommunityNeedsReport(self, request, context):
        with self.db() as uow:
            needs, unmet, truncated = resources.community_needs_report(
                uow,
                self._cases("community_needs"),
                self.auth.principal,
                request.region,
                request.community_code,
                request.k,
            )
        return rm.pb.CommunityNeedsReport(
            needs=rm.table_message(needs), unmet=rm.table_message(unmet), truncated=truncated
        )

    @grpc
    @endpoint
    def ReferToSocialServices(self, request, context):
        principal = self.auth.require("partner_agency")
        submit = bounded(self.intake.submit_agency_referral, float(config.get("RPC_TIMEOUT", 10)), "intake")
        with self.db() as uow:
            answer = inbound.refer_to_social_services(uow, submit, principal, grpc_mapping.inbound_referral(request))
        tag_current_span(tracking_number=answer.get("tracking_number", ""), appeal_id=answer.get("appeal_id", ""))
        return grpc_mapping.interagency_pb2.ReferToSocialServicesResponse(
            tracking_number=answer.get("tracking_number", ""),
            appeal_id=answer.get("appeal_id", ""),
            screening_level=answer.get("screening_level", ""),
            state=answer.get("state", ""),
        )

    @rpc
    def register_agency(self, agency):
        """Add or update a partner agency of the reference table (``ekm demo``, tests)."""
        with self.db() as uow:
            return agencies.register_agency(uow, agency).agency_code


SERVICE = InteragencyService
