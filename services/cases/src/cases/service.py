"""The cases service: thin nameko entrypoints over the service layer."""

from functools import partial

from nameko.rpc import ServiceRpc, rpc
from nameko.timer import timer
from nameko_grpc.entrypoint import Grpc

from cases.adapters import consent_mapping as cm
from cases.adapters import grpc_mapping as m
from cases.adapters.intake_client import appeal_details_source
from cases.adapters.orm import audit_log, metadata
from cases.adapters.repository import CaseRepository
from cases.domain.closure import rating_days
from cases.domain.deadlines import Deadlines
from cases.domain.workload import CaseManager
from cases.service_layer import (
    appeals,
    assessments,
    cabinet,
    consents,
    contracts,
    corrections,
    handlers,
    matching,
    needs,
    notices,
    persons,
    plans,
    stages,
    supervision,
    transfers,
    workload,
)
from cases.service_layer import referrals as referral_support
from cases.service_layer.access import STAFF
from cases.service_layer.contacts import person_contact, person_contacts
from ekm.cases.v1 import cases_pb2_grpc
from ekm_platform.dependencies import AuditChainer, Auth, Database, handle_event
from ekm_platform.events import event_handler  # retries with back-off, then dead letters
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.tracing import tag_current_span

Deadlines.configured()  # a process with an unreadable EKM_DEADLINE_*_DAYS refuses to start
rating_days()  # nor with an unreadable EKM_RATING_AFTER_CLOSURE_DAYS

grpc = Grpc.implementing(cases_pb2_grpc.CaseServiceStub)


class CasesService(StandardGrpc):
    name = "cases"

    db = Database(metadata, CaseRepository)
    outbox = OutboxRelay()
    audit_chain = AuditChainer(audit_log)
    auth = Auth()
    intake = ServiceRpc("intake")

    @grpc
    @endpoint
    def GetCase(self, request, context):
        with self.db() as uow:
            case = handlers.get_case(uow, self.auth.principal, request.case_id, request.case_number, request.purpose)
        tag_current_span(case_number=case.case_number)
        return m.case_message(case)

    @grpc
    @endpoint
    def ListCases(self, request, context):
        self.auth.require(*STAFF, "operator")  # the caller's role before the request's fields (docs/roles.md)
        filters = m.list_filters(request)
        with self.db() as uow:
            rows = handlers.worklist(uow, self.auth.principal, **filters)
        return m.list_response(rows, filters)

    @grpc
    @endpoint
    def TransitionCase(self, request, context):
        self.auth.require(*STAFF)
        target, outcome = m.stage_from(request.target_stage), m.outcome_from(request.outcome)
        with self.db() as uow:
            case = stages.transition_case(
                uow, self.auth.principal, request.case_id, target, request.expected_version, outcome, request.reason
            )
        return m.case_message(case)

    @grpc
    @endpoint
    def ApproveClosure(self, request, context):
        with self.db() as uow:
            return m.case_message(
                stages.approve_closure(uow, self.auth.principal, request.case_id, request.expected_version)
            )

    @grpc
    @endpoint
    def SaveAssessment(self, request, context):
        self.auth.require(*STAFF)
        draft = m.assessment_from(request.assessment)
        with self.db() as uow:
            saved = assessments.save_assessment(
                uow, self.auth.principal, draft, request.expected_case_version, request.submit
            )
        return m.assessment_message(saved)

    @grpc
    @endpoint
    def GetAssessment(self, request, context):
        with self.db() as uow:
            return m.assessment_message(
                assessments.get_assessment(uow, self.auth.principal, request.case_id, request.version)
            )

    @grpc
    @endpoint
    def ApproveAssessment(self, request, context):
        with self.db() as uow:
            return m.assessment_message(
                assessments.approve_assessment(uow, self.auth.principal, request.case_id, request.version)
            )

    @grpc
    @endpoint
    def AddAgencyContribution(self, request, context):
        with self.db() as uow:
            return m.assessment_message(
                assessments.add_contribution(
                    uow, self.auth.principal, request.case_id, request.agency_code, request.text
                )
            )

    @grpc
    @endpoint
    def ScoreAssessment(self, request, context):
        with self.db() as uow:
            return m.scoring_message(assessments.score_assessment(uow, self.auth.principal, request.case_id))

    @grpc
    @endpoint
    def SavePlan(self, request, context):
        self.auth.require(*STAFF)
        plan = m.plan_from(request.plan)
        with self.db() as uow:
            return m.plan_message(plans.save_plan(uow, self.auth.principal, plan, request.expected_case_version))

    @grpc
    @endpoint
    def GetPlan(self, request, context):
        with self.db() as uow:
            return m.plan_message(plans.get_plan(uow, self.auth.principal, request.case_id, request.version))

    @grpc
    @endpoint
    def ApprovePlan(self, request, context):
        with self.db() as uow:
            return m.plan_message(plans.approve_plan(uow, self.auth.principal, request.case_id, request.version))

    @grpc
    @endpoint
    def AgreePlan(self, request, context):
        with self.db() as uow:
            return m.plan_message(
                plans.agree_plan(uow, self.auth.principal, request.case_id, request.version, request.channel)
            )

    @grpc
    @endpoint
    def MarkStepDone(self, request, context):
        with self.db() as uow:
            return m.plan_message(plans.mark_step_done(uow, self.auth.principal, request.case_id, request.step_id))

    @grpc
    @endpoint
    def RecordReview(self, request, context):
        self.auth.require(*STAFF)
        review = m.review_from(request.review)
        with self.db() as uow:
            return m.review_message(
                plans.record_review(uow, self.auth.principal, review, request.expected_case_version)
            )

    @grpc
    @endpoint
    def AssignCase(self, request, context):
        with self.db() as uow:
            return m.case_message(
                workload.assign_case(uow, self.auth.principal, request.case_id, request.manager_id, request.reason)
            )

    @grpc
    @endpoint
    def GetWorkloadReport(self, request, context):
        with self.db() as uow:
            return m.workload_message(workload.workload_report(uow, self.auth.principal, request.community_code))

    @grpc
    @endpoint
    def GetSocialHistory(self, request, context):
        self.auth.require(*STAFF)
        offset, limit = m.decode_page_token(request.page_token), request.page_size or 50
        with self.db() as uow:
            rows = handlers.social_history(uow, self.auth.principal, request.person_id, offset, limit)
        return m.history_message(rows, offset, limit)

    @grpc
    @endpoint
    def MarkHistoryEntryErroneous(self, request, context):
        with self.db() as uow:
            return m.history_entry_message(
                corrections.mark_erroneous(
                    uow, self.auth.principal, request.person_id, request.entry_id, request.reason
                )
            )

    @grpc
    @endpoint
    def GetCabinet(self, request, context):
        with self.db() as uow:
            return m.cabinet_message(cabinet.cabinet(uow, self.auth.principal))

    @grpc
    @endpoint
    def AgreePlanInCabinet(self, request, context):
        with self.db() as uow:
            return m.cabinet_message(cabinet.agree_in_cabinet(uow, self.auth.principal, request.plan_version))

    @grpc
    @endpoint
    def MarkOwnStepDone(self, request, context):
        with self.db() as uow:
            return m.cabinet_message(cabinet.mark_own_step_done(uow, self.auth.principal, request.step_id))

    @grpc
    @endpoint
    def RateService(self, request, context):
        with self.db() as uow:
            return m.rating_message(
                *cabinet.rate_service(
                    uow, self.auth.principal, request.service_id.strip(), request.rating, request.comment
                )
            )

    @grpc
    @endpoint
    def GetSupervisionQueue(self, request, context):
        with self.db() as uow:
            return m.queue_message(supervision.queue(uow, self.auth.principal, request.community_code.strip()))

    @grpc
    @endpoint
    def ReturnForRework(self, request, context):
        with self.db() as uow:
            return m.case_message(
                supervision.return_for_rework(
                    uow, self.auth.principal, request.case_id, request.kind.strip(), request.version, request.reason
                )
            )

    @grpc
    @endpoint
    def GetQualityKpis(self, request, context):
        with self.db() as uow:
            return m.kpis_message(supervision.kpis(uow, self.auth.principal, request.community_code.strip()))

    @grpc
    @endpoint
    def DraftContract(self, request, context):
        self.auth.require(*STAFF)
        categories = m.categories_from(request.categories)
        with self.db() as uow:
            return m.contract_message(
                contracts.draft_contract(
                    uow,
                    self.auth.principal,
                    request.case_id,
                    request.service_id,
                    request.average_monthly_income,
                    request.subsistence_minimum,
                    categories,
                    request.tariff,
                )
            )

    @grpc
    @endpoint
    def CalculateFee(self, request, context):
        self.auth.require(*STAFF)
        categories = m.categories_from(request.categories)
        with self.db() as uow:
            return m.contract_message(
                contracts.calculate_fee(
                    uow,
                    self.auth.principal,
                    request.case_id,
                    request.service_id,
                    request.average_monthly_income,
                    request.subsistence_minimum,
                    categories,
                    request.tariff,
                )
            )

    @grpc
    @endpoint
    def ListContracts(self, request, context):
        with self.db() as uow:
            return m.contracts_message(contracts.list_contracts(uow, self.auth.principal, request.case_id))

    @grpc
    @endpoint
    def GetContract(self, request, context):
        with self.db() as uow:
            return m.contract_message(contracts.get_contract(uow, self.auth.principal, request.contract_id))

    @grpc
    @endpoint
    def GetCaseAppeal(self, request, context):
        fetch = appeal_details_source(self.intake)
        with self.db() as uow:
            found = appeals.case_appeal(
                uow,
                self.auth.principal,
                fetch,
                request.case_id,
                request.case_number,
                request.appeal_id,
                request.purpose,
            )
        tag_current_span(case_number=found.case.case_number)
        return m.case_appeal_message(found)

    @grpc
    @endpoint
    def GetCatalogue(self, request, context):
        self.auth.require()  # any authenticated caller
        return m.catalogue_message()

    @grpc
    @endpoint
    def RequestTransfer(self, request, context):
        with self.db() as uow:
            return m.transfer_message(
                transfers.request_transfer(
                    uow,
                    self.auth.principal,
                    request.case_id,
                    request.to_manager_id,
                    request.to_community_code,
                    request.to_provider,
                    request.reason,
                    request.expected_case_version,
                )
            )

    @grpc
    @endpoint
    def AcceptTransfer(self, request, context):
        with self.db() as uow:
            return m.transfer_message(transfers.accept_transfer(uow, self.auth.principal, request.transfer_id))

    @grpc
    @endpoint
    def GetPerson(self, request, context):
        with self.db() as uow:
            return m.person_message(persons.get_person(uow, self.auth.principal, request.person_id.strip()))

    @grpc
    @endpoint
    def UpdatePerson(self, request, context):
        self.auth.require(*STAFF)
        statuses = m.statuses_from(request.veteran_statuses)
        with self.db() as uow:
            return m.person_message(
                persons.update_person(
                    uow,
                    self.auth.principal,
                    request.person_id.strip(),
                    request.phone.strip(),
                    request.email.strip(),
                    statuses,
                    request.disability_group,
                )
            )

    @grpc
    @endpoint
    def SaveHousehold(self, request, context):
        self.auth.require(*STAFF)
        members = m.members_from(request.household)
        with self.db() as uow:
            return m.household_message(
                *persons.save_household(
                    uow, self.auth.principal, request.household.case_id, request.household.address, members
                )
            )

    @grpc
    @endpoint
    def GetHousehold(self, request, context):
        with self.db() as uow:
            return m.household_message(*persons.get_household(uow, self.auth.principal, request.case_id))

    @grpc
    @endpoint
    def MergePersons(self, request, context):
        with self.db() as uow:
            return m.person_message(
                persons.merge_persons(
                    uow,
                    self.auth.principal,
                    request.keep_person_id.strip(),
                    request.merge_person_id.strip(),
                    request.reason,
                )
            )

    @grpc
    @endpoint
    def RecordConsent(self, request, context):
        self.auth.require(*STAFF)
        draft = cm.consent_from(request.consent)
        with self.db() as uow:
            return cm.consent_message(consents.record_consent(uow, self.auth.principal, draft))

    @grpc
    @endpoint
    def WithdrawConsent(self, request, context):
        with self.db() as uow:
            return cm.consent_message(
                consents.withdraw_consent(uow, self.auth.principal, request.consent_id, request.reason)
            )

    @grpc
    @endpoint
    def ListConsents(self, request, context):
        with self.db() as uow:
            return cm.consents_message(consents.list_consents(uow, self.auth.principal, request.case_id))

    @grpc
    @endpoint
    def ListMyConsents(self, request, context):
        with self.db() as uow:
            return cm.consents_message(consents.my_consents(uow, self.auth.principal))

    @grpc
    @endpoint
    def WithdrawMyConsent(self, request, context):
        with self.db() as uow:
            return cm.consent_message(
                consents.withdraw_my_consent(uow, self.auth.principal, request.consent_id, request.reason)
            )

    @grpc
    @endpoint
    def ExportConsentRecords(self, request, context):
        with self.db() as uow:
            document, count = consents.export_consents(uow, self.auth.principal, request.case_id)
        return cm.cases_pb2.ConsentRecordsExport(json=document, count=count)

    @rpc
    def referral_person_data(self, actor, case_number, categories):
        """The referred person's fields an agency may see (contact fields; the rest by consent)."""
        with self.db() as uow:
            return referral_support.person_data_for_agency(uow, actor, case_number, categories)

    @rpc
    def add_plan_steps(self, actor, case_number, steps, source):
        """A case conference's decisions as steps of the case's current plan (see referrals)."""
        with self.db() as uow:
            return referral_support.add_plan_steps(uow, actor, case_number, steps, source)

    @rpc
    def mark_agency_step(self, actor, case_number, step_id):
        """A partner agency marks done a plan step the plan gives to it (a shared task)."""
        with self.db() as uow:
            return referral_support.mark_agency_step(uow, actor, case_number, step_id)

    @event_handler("interagency", "referral.created")
    def on_referral_created(self, body):
        handle_event(self.db, "cases.on_referral_created", body, referral_support.apply_referral_event)

    @event_handler("interagency", "referral.accepted")
    def on_referral_accepted(self, body):
        handle_event(self.db, "cases.on_referral_accepted", body, referral_support.apply_referral_event)

    @event_handler("interagency", "referral.rejected")
    def on_referral_rejected(self, body):
        handle_event(self.db, "cases.on_referral_rejected", body, referral_support.apply_referral_event)

    @event_handler("interagency", "referral.completed")
    def on_referral_completed(self, body):
        handle_event(self.db, "cases.on_referral_completed", body, referral_support.apply_referral_event)

    @event_handler("interagency", "referral.revoked")
    def on_referral_revoked(self, body):
        handle_event(self.db, "cases.on_referral_revoked", body, referral_support.apply_referral_event)

    @rpc
    def check_case_access(self, actor, case_number, subject=None):
        """May ``actor`` see the case, and is ``subject`` its person or a household member (see consents)."""
        with self.db() as uow:
            return consents.check_case_access(uow, actor, case_number, subject)

    @rpc
    def active_consent(self, person_id, purpose, recipient):
        """The person's stored, unexpired, not withdrawn consent for this purpose and recipient, or None."""
        with self.db() as uow:
            return consents.active_consent(uow, person_id, purpose, recipient)

    @rpc
    def get_person_contact(self, person_id, caller="notifications"):
        """Internal (notifications): the person's phone, e-mail, locale and time zone, or None; audited."""
        with self.db() as uow:
            return person_contact(uow, person_id, caller)

    @rpc
    def get_person_contacts(self, person_ids, caller="notifications"):
        """Internal (notifications' dispatcher): ``{person_id: contact | None}`` for a batch, one call."""
        with self.db() as uow:
            return person_contacts(uow, list(person_ids), caller)

    @rpc
    def case_is_open(self, case_number):
        with self.db() as uow:
            return handlers.case_is_open(uow, case_number)

    @rpc
    def case_needs(self, actor, case_number):
        """A case's assessed needs as service-type codes, for interagency's resource matching (see needs)."""
        with self.db() as uow:
            return needs.case_needs(uow, actor, case_number)

    @rpc
    def community_needs(self, actor, community_code="", region=""):
        """One row of codes per open assessed case, for interagency's de-identified state report."""
        with self.db() as uow:
            return needs.community_needs(uow, actor, community_code, region)

    @rpc
    def register_case_manager(self, manager_id, community_code, capacity, skills=(), supervisor_id="", on_duty=False):
        """The roster (demo data, configuration); ``on_duty``: takes the community's crisis cases."""
        with self.db() as uow:
            workload.register_manager(
                uow,
                CaseManager(manager_id, community_code, int(capacity), frozenset(skills), supervisor_id, bool(on_duty)),
            )

    @event_handler("registry_gateway", "registry.facts_found")
    def on_registry_facts(self, body):
        handle_event(self.db, "cases.on_registry_facts", body, handlers.apply_registry_facts)

    @timer(interval=notices.due_scan_interval())
    def announce_due_steps(self):
        """Every 15 minutes (``EKM_DUE_SCAN_INTERVAL_SECONDS``): steps due within 3 days or overdue
        go out once, for notifications."""
        from datetime import date, datetime, timezone

        with self.db() as uow:
            plans.announce_due_steps(uow, date.today())
        with self.db() as uow:  # reviews due within a week, or overdue: once per stage entry
            notices.announce_due_reviews(uow, datetime.now(timezone.utc))

    @rpc
    def case_parties(self, case_ref, step_id=""):
        """Internal: who is in the case now (identifiers), for notifications to address a message."""
        with self.db() as uow:
            return notices.case_parties(uow, case_ref, step_id)

    @event_handler("intake", "appeal.accepted")
    def on_appeal_accepted(self, body):
        handler = partial(handlers.open_case_for_appeal, fetch_subject=self.intake.get_appeal_subject)
        handle_event(self.db, "cases.on_appeal_accepted", body, handler)

    @event_handler("intake", "appeal.match_decided")
    def on_match_decided(self, body):
        """A reviewer decided who an uncertain appeal is about: link or open the case as for an accepted appeal."""
        handler = partial(handlers.open_case_for_appeal, fetch_subject=self.intake.get_appeal_subject)
        handle_event(self.db, "cases.on_match_decided", body, handler)

    @rpc
    def match_candidates(self, actor, person_ids):
        """Internal (intake's match review): the candidates' identity and open case; audited."""
        with self.db() as uow:
            return matching.match_candidates(uow, actor, person_ids)

    @event_handler("intake", "appeal.rescreened")
    def on_appeal_rescreened(self, body):
        """A case manager's screening override: an appeal that now needs a case gets one
        (crisis: urgent, to the on-duty case manager), exactly as when it was accepted."""
        handler = partial(handlers.open_case_for_appeal, fetch_subject=self.intake.get_appeal_subject)
        handle_event(self.db, "cases.on_appeal_rescreened", body, handler)


SERVICE = CasesService
