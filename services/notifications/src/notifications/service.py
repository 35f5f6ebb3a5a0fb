"""The notifications service: thin nameko entrypoints over service_layer.handlers."""

import os
import time
from functools import partial

import eventlet
from nameko import config
from nameko.rpc import ServiceRpc
from nameko.timer import timer
from nameko_grpc.entrypoint import Grpc

from ekm.notifications.v1 import notifications_pb2_grpc
from ekm_platform.batch_events import batch_event_handler, handle_events
from ekm_platform.case_access import bounded
from ekm_platform.dependencies import AuditChainer, Auth, Database, handle_event
from ekm_platform.events import event_handler  # retries with back-off, then dead letters
from ekm_platform.grpc_support import StandardGrpc, endpoint
from ekm_platform.outbox_relay import OutboxRelay
from notifications.adapters import grpc_mapping
from notifications.adapters.contacts import rpc_resolver
from notifications.adapters.orm import audit_log, metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.dependencies import Senders
from notifications.service_layer import dispatch, handlers, reminders, staff, triggers

grpc = Grpc.implementing(notifications_pb2_grpc.NotificationServiceStub)

LOG_READERS = ("case_manager", "supervisor", "operator")
DISPATCH_TICK = float(os.environ.get("EKM_NOTIFY_TICK_SECONDS", "1"))
DISPATCH_ROUND_SECONDS = 3.0  # one timer worker sends for at most this long, then lets the service stop


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
            found, attempts = handlers.delivery_log(
                request.reference,
                principal,
                uow,
                case_of_appeal=bounded(self.intake.appeal_case_number, timeout, "intake"),
                check_case_access=bounded(self.cases.check_case_access, timeout, "cases"),
            )
        return grpc_mapping.deliveries_response(found, attempts)

    @batch_event_handler("intake", "appeal.accepted", batch_size=200)
    def on_appeal_accepted(self, bodies):
        """Many at once (one transaction per batch; a failing batch is retried event by event)."""
        handle_events(
            self.db,
            "notifications.on_appeal_accepted",
            bodies,
            handlers.acknowledge_appeal,
            batch_handler=handlers.acknowledge_appeals,
        )

    # --- the outbound pipeline (service_layer.dispatch, staff) ---
    @timer(interval=DISPATCH_TICK)
    def dispatch_due(self):
        """Every tick: send what is due, batch after batch, for at most a few seconds."""
        if _sqlite_file_missing(config["DATABASE_URL"]):
            return  # moved away or not there yet: connecting would create an empty file and keep it open
        resolve = rpc_resolver(self.intake, self.cases, float(config.get("RPC_TIMEOUT", 10)))
        settings = dispatch.DispatchSettings.from_environment()
        pool = eventlet.GreenPool(max(1, settings.lanes))
        started = time.monotonic()
        while time.monotonic() - started < DISPATCH_ROUND_SECONDS:
            if dispatch.dispatch_once(self.db, resolve, self.senders, settings, map_lanes=pool.imap) < settings.batch:
                break

    @grpc
    @endpoint
    def ListInbox(self, request, context):
        principal = self.auth.require(*staff.INBOX_OWNERS)
        with self.db() as uow:
            items, unread = staff.list_inbox(uow, principal, request.unread_only, request.page_size)
        return grpc_mapping.inbox_response(items, unread)

    @grpc
    @endpoint
    def MarkInboxRead(self, request, context):
        principal = self.auth.require(*staff.INBOX_OWNERS)
        with self.db() as uow:
            marked = staff.mark_inbox_read(uow, principal, list(request.item_ids))
        return grpc_mapping.marked_response(marked)

    @grpc
    @endpoint
    def PreviewTemplate(self, request, context):
        principal = self.auth.require(*staff.PREVIEWERS)
        return grpc_mapping.preview_response(
            staff.preview(principal, request.template, request.version, dict(request.variables))
        )

    @grpc
    @endpoint
    def SendTest(self, request, context):
        principal = self.auth.require(*staff.TESTERS)
        with self.db() as uow:
            delivery = staff.send_test(
                uow,
                principal,
                self.senders,
                request.template,
                dict(request.variables),
                grpc_mapping.CHANNELS.code(request.channel),
                request.address,
            )
        return grpc_mapping.send_test_response(delivery)

    @grpc
    @endpoint
    def GetMyPreferences(self, request, context):
        principal = self.auth.require("recipient", *staff.INBOX_OWNERS)
        with self.db() as uow:
            return grpc_mapping.preferences_message(staff.my_preferences(uow, principal))

    @grpc
    @endpoint
    def SetMyPreferences(self, request, context):
        principal = self.auth.require("recipient", *staff.INBOX_OWNERS)
        with self.db() as uow:
            prefs = staff.set_my_preferences(
                uow,
                principal,
                [grpc_mapping.CHANNELS.code(c) for c in request.channel_order],
                [grpc_mapping.CHANNELS.code(c) for c in request.opted_out],
                request.quiet_start.strip(),
                request.quiet_end.strip(),
                request.time_zone.strip(),
            )
        return grpc_mapping.preferences_message(prefs)

    # --- triggers (service_layer.triggers): each notifies once per fact, whatever the event id ---
    def _case_parties(self):
        return bounded(self.cases.case_parties, float(config.get("RPC_TIMEOUT", 10)), "cases")

    @event_handler("cases", "case.opened")
    def on_case_opened(self, body):
        handle_event(
            self.db, "notifications.on_case_opened", body, partial(triggers.case_opened, parties=self._case_parties())
        )

    @event_handler("cases", "case.assigned")
    def on_case_assigned(self, body):
        handle_event(
            self.db,
            "notifications.on_case_assigned",
            body,
            partial(triggers.case_assigned, parties=self._case_parties()),
        )

    @event_handler("cases", "case.plan_agreed")
    def on_plan_agreed(self, body):
        handle_event(
            self.db, "notifications.on_plan_agreed", body, partial(triggers.plan_agreed, parties=self._case_parties())
        )

    @event_handler("cases", "case.plan_changed")
    def on_plan_changed(self, body):
        handle_event(
            self.db, "notifications.on_plan_changed", body, partial(triggers.plan_changed, parties=self._case_parties())
        )

    @event_handler("cases", "case.step_due")
    def on_step_due(self, body):
        handle_event(self.db, "notifications.on_step_due", body, triggers.step_announced)

    @event_handler("cases", "case.step_overdue")
    def on_step_overdue(self, body):
        handle_event(self.db, "notifications.on_step_overdue", body, triggers.step_announced)

    @event_handler("cases", "case.review_due")
    def on_review_due(self, body):
        handle_event(self.db, "notifications.on_review_due", body, triggers.review_announced)

    @event_handler("interagency", "referral.accepted")
    def on_referral_accepted(self, body):
        handle_event(
            self.db,
            "notifications.on_referral_accepted",
            body,
            partial(triggers.referral_answered, parties=self._case_parties()),
        )

    @event_handler("interagency", "referral.rejected")
    def on_referral_rejected(self, body):
        handle_event(
            self.db,
            "notifications.on_referral_rejected",
            body,
            partial(triggers.referral_answered, parties=self._case_parties()),
        )

    @event_handler("interagency", "referral.completed")
    def on_referral_completed(self, body):
        handle_event(
            self.db,
            "notifications.on_referral_completed",
            body,
            partial(triggers.referral_answered, parties=self._case_parties()),
        )

    @event_handler("registry_gateway", "registry.facts_found")
    def on_registry_facts(self, body):
        handle_event(
            self.db,
            "notifications.on_registry_facts",
            body,
            partial(triggers.registry_facts_found, parties=self._case_parties()),
        )

    @timer(interval=reminders.reminder_interval())
    def send_due_reminders(self):
        """Reminders whose time has come (rows in the database, so they survive restarts), claimed
        by this process only (FOR UPDATE SKIP LOCKED on PostgreSQL), handed to the pipeline once."""
        reminders.run_due(self.db, WORKER, self._case_parties())


WORKER = reminders.worker_id()  # this process, as it claims reminders


def _sqlite_file_missing(url: str) -> bool:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(parsed.database)
        and parsed.database != ":memory:"
        and not Path(parsed.database).exists()
    )


SERVICE = NotificationsService
