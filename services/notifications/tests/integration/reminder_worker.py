"""A notifications reminder worker as its own process, for the two-process PostgreSQL tests.

    python reminder_worker.py URL run WORKER GO_FILE [SHIFT_SECONDS]   claim and send until nothing is due
    python reminder_worker.py URL claim-and-hang WORKER                 claim everything due, commit, hang
    python reminder_worker.py URL lock-and-hold WORKER                  claim in an open transaction, hold it

Cases is a fake that answers for any case (open, step planned, the person's step). Prints one
JSON line: the outcome counts (run) or the keys it claimed."""

import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone

from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.unit_of_work import UnitOfWork
from notifications.adapters.orm import metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.service_layer import reminders

YESTERDAY = (datetime.now(timezone.utc) - timedelta(days=2)).date().isoformat()  # overdue in any time zone


def parties(case_ref, step_id=""):
    time.sleep(0.002)  # a round trip to cases
    return {
        "case_id": case_ref,
        "case_number": "CASE-2026-ABC1234",
        "person_id": f"p-{case_ref}",
        "assigned_to": "cm-1",
        "stage": "implementation",
        "open": True,
        "step": {"due_on": YESTERDAY, "status": "planned", "responsible_kind": "person"} if step_id else None,
    }


def main(url, mode, worker, *rest):
    engine = make_engine(url)
    factory = lambda: UnitOfWork(
        make_session_factory(engine),
        metadata.tables,
        "notifications",  # noqa: E731
        DeliveryRepository,
    )
    if mode == "run":
        go, shift = rest[0], float(rest[1]) if len(rest) > 1 else 0.0
        with factory() as uow:  # connected and imported: ready to start
            uow.repo.reminders.get("")
        open(f"{go}.ready-{worker}", "w").close()
        while not os.path.exists(go):
            time.sleep(0.01)
        totals = {}
        while True:
            now = datetime.now(timezone.utc) + timedelta(seconds=shift)
            counts = reminders.run_due(factory, worker, parties, now=now, batches=1)
            if not counts:
                break
            for k, v in counts.items():
                totals[k] = totals.get(k, 0) + v
        print(json.dumps(totals), flush=True)
    elif mode == "claim-and-hang":
        claimed = reminders.claim(factory, worker, datetime.now(timezone.utc), limit=1000)
        print(json.dumps([c.key for c in claimed]), flush=True)
        time.sleep(120)
    elif mode == "lock-and-hold":
        with factory() as uow:
            claimed = uow.repo.reminders.claim_due(worker, datetime.now(timezone.utc), limit=1000)
            print(json.dumps([c.key for c in claimed]), flush=True)
            sys.stdin.readline()  # hold the row locks until told
            uow.commit()
        print(json.dumps("committed"), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
