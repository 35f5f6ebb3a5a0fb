"""The hash-chained audit log of contacts fetched, messages sent and delivery logs read."""

from ekm_platform.audit import create_audit_log


def upgrade(op):
    create_audit_log(op)
