"""The hash-chained audit log of personal data read or written through intake."""

from ekm_platform.audit import create_audit_log


def upgrade(op):
    create_audit_log(op)
