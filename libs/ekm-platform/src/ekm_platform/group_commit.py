"""Group commit: the inserts of concurrent requests written in one transaction.

A request that only adds rows (evidence of a registry query, its outbox events) gets a
``BatchedUnitOfWork`` with the usual API: a repository, ``publish`` and ``commit``. Its
inserts are collected instead of executed; ``commit`` hands them to the service's one
writer and waits until they are committed, so nothing is answered before it is stored.
The writer takes everything that arrived while the previous batch was being written and
commits it as one transaction: one statement per table and one commit for many requests,
instead of a statement, a commit and a span each. If a batch fails on bad data, each
request's rows are tried again in a transaction of their own, so that one bad request
fails alone; if the database itself fails, the whole batch fails. A request whose caller
stopped waiting is never written afterwards.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import defaultdict, deque
from collections.abc import Callable

from nameko import config
from nameko.extensions import DependencyProvider
from opentelemetry import trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from sqlalchemy import Insert, MetaData, Table
from sqlalchemy.exc import DataError, IntegrityError

from ekm_platform.db import make_engine
from ekm_platform.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
tracer = trace.get_tracer("ekm_platform.group_commit")

Rows = list[tuple[Table, dict]]


class InsertOnlySession:
    """Stands in for a SQLAlchemy session in a batched unit of work: it records inserts
    and refuses anything else (a batched unit of work never reads)."""

    def __init__(self):
        self.rows: Rows = []

    def execute(self, statement, parameters=None):
        plain_insert = (
            isinstance(statement, Insert)
            and not statement._values
            and not statement._multi_values
            and not statement._returning
            and not statement._post_values_clause
        )
        if not plain_insert or not isinstance(parameters, dict):
            raise TypeError("a batched unit of work only inserts single rows: execute(table.insert(), {...})")
        self.rows.append((statement.table, dict(parameters)))

    def rollback(self) -> None:
        self.rows = []

    def close(self) -> None:
        pass


class BatchedUnitOfWork(UnitOfWork):
    def __init__(self, writer: GroupCommit, tables, source: str, repository_factory: Callable):
        super().__init__(InsertOnlySession, tables, source, repository_factory)
        self._writer = writer

    def commit(self) -> None:
        rows, self.session.rows = self.session.rows, []
        if rows:
            tables = sorted({table.name for table, _ in rows})
            with tracer.start_as_current_span(
                "INSERT (group commit)",
                kind=trace.SpanKind.CLIENT,
                attributes={
                    "db.system": self._writer.engine.dialect.name,
                    "db.operation": "INSERT",
                    "db.sql.table": ",".join(tables),
                    "ekm.rows": len(rows),
                },
            ):
                self._writer.write(rows)
        self._after_commit()


class _Submission:
    def __init__(self, rows: Rows):
        self.rows = rows
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.cancelled = False  # its caller gave up: never write it later behind its back


class GroupCommit(DependencyProvider):
    """Injects ``uow()``: a ``BatchedUnitOfWork`` over this service's database, committed
    together with the other requests' in one transaction by one writer thread.

    Rows are grouped by table for the write, so it suits tables with no foreign keys
    between them (the gateway's evidence, outbox and pending queries)."""

    MAX_BATCH = 500
    WAIT_SECONDS = 60.0

    def __init__(self, metadata: MetaData, repository_factory: Callable):
        self.metadata = metadata
        self.repository_factory = repository_factory

    def setup(self):
        self.engine = make_engine(config["DATABASE_URL"])
        self.pending: deque[_Submission] = deque()
        self.wake = threading.Event()
        self.running = False
        self.stopped = threading.Event()

    def start(self):
        self.running = True
        self.container.spawn_managed_thread(self._run, identifier="group-commit")

    def stop(self):
        self.running = False
        self.wake.set()
        self.stopped.wait(5)
        self.engine.dispose()

    def kill(self):
        self.running = False
        self.wake.set()

    def get_dependency(self, worker_ctx):
        return lambda: BatchedUnitOfWork(
            self, self.metadata.tables, self.container.service_name, self.repository_factory
        )

    def write(self, rows: Rows) -> None:
        """Blocks until ``rows`` are committed; raises what the database raised."""
        if not self.running:
            raise RuntimeError("group commit is stopped")
        submission = _Submission(rows)
        self.pending.append(submission)
        self.wake.set()
        try:
            finished = submission.done.wait(self.WAIT_SECONDS)
        except BaseException:  # the worker is killed while waiting
            submission.cancelled = True
            raise
        if not finished:
            submission.cancelled = True  # skipped if still queued (a batch already writing finishes)
            raise TimeoutError(f"rows not committed within {self.WAIT_SECONDS} s")
        if submission.error is not None:
            raise submission.error

    def _run(self):
        batch: list[_Submission] = []
        try:
            while self.running or self.pending:
                self.wake.wait(1.0)
                self.wake.clear()
                while self.pending:
                    batch = []
                    while self.pending and len(batch) < self.MAX_BATCH:
                        submission = self.pending.popleft()
                        if not submission.cancelled:
                            batch.append(submission)
                    self._commit(batch)
                    batch = []
        finally:
            for submission in [*batch, *self.pending]:
                if not submission.done.is_set():
                    submission.error = RuntimeError("group commit stopped")
                    submission.done.set()
            self.stopped.set()

    def _commit(self, batch: list[_Submission]) -> None:
        try:
            if batch:
                self._insert([row for submission in batch for row in submission.rows])
        except (IntegrityError, DataError):
            if len(batch) == 1:
                batch[0].error = _current_error()
            else:  # a request's bad data must not fail the others: each alone
                for submission in batch:
                    try:
                        self._insert(submission.rows)
                    except Exception:
                        submission.error = _current_error()
        except Exception:  # the database itself failed (locked, away): the whole batch fails
            error = _current_error()
            for submission in batch:
                submission.error = error
        for submission in batch:
            submission.done.set()

    def _insert(self, rows: Rows) -> None:
        by_shape: dict[tuple, list[dict]] = defaultdict(list)  # one executemany per table and set of columns
        for table, values in rows:
            by_shape[(table, tuple(sorted(values)))].append(values)
        with suppress_instrumentation(), self.engine.begin() as conn:
            for (table, _), values in by_shape.items():
                conn.execute(table.insert(), values)


def _current_error() -> BaseException:
    error = sys.exc_info()[1]
    log.warning("group commit failed: %s", error)
    return error
