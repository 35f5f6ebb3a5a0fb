"""The hash-chained audit log of referrals created and read (identifiers only)."""

from ekm_platform.audit import create_audit_log


def upgrade(op):
    create_audit_log(op)
