"""Errors that cross a service boundary. Plain Python: domain code raises them.

Each maps to one gRPC status (see ``grpc_support.STATUS_BY_ERROR``); messages are
Ukrainian first, with English after " / ".
"""

from __future__ import annotations


class PlatformError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FieldViolation(PlatformError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.description = message


class ValidationError(PlatformError):
    """One or more fields are invalid; nothing was stored."""

    def __init__(self, violations: list[FieldViolation]):
        self.violations = list(violations)
        super().__init__("; ".join(v.message for v in self.violations))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls([FieldViolation(field, message)])


class NotFound(PlatformError):
    pass


class AlreadyExists(PlatformError):
    pass


class FailedPrecondition(PlatformError):
    pass


class Aborted(PlatformError):
    """A stale update: the version the caller saw is not the current one."""


class Unauthenticated(PlatformError):
    pass


class PermissionDenied(PlatformError):
    pass


class Unavailable(PlatformError):
    pass
