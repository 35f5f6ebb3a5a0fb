"""opentelemetry-instrumentation-sqlalchemy: no "connect" span per pool checkout."""

from __future__ import annotations

from ekm_platform.patches._core import check_versions

REQUIRES = {"opentelemetry-instrumentation-sqlalchemy": "0.66b1", "SQLAlchemy": "2.0.58"}
PATCH = "sqlalchemy.untraced_pool_checkouts"


def check() -> None:
    check_versions(PATCH, REQUIRES)


def untraced_pool_checkouts() -> None:
    """``SQLAlchemyInstrumentor`` wraps ``Engine.connect`` for a "connect" span per pool
    checkout: it says nothing an operator needs and costs every request a span.
    Statements stay traced (those come from engine events, not from this wrapper).
    Without the instrumentor (tracing off) there is nothing to undo; twice is once."""
    from opentelemetry.instrumentation.utils import unwrap
    from sqlalchemy.engine import Engine

    if hasattr(Engine.__dict__["connect"], "__wrapped__"):
        unwrap(Engine, "connect")


def apply() -> None:
    check()
    untraced_pool_checkouts()
