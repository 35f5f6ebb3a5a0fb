"""Every monkey patch of a dependency, in one place, applied by one function.

One module per patched dependency; each names the exact versions it was written and
tested against (``REQUIRES``) and refuses to patch anything else (``PatchVersionError``).
``apply_all()`` is what production does (``ekm_platform.runner``, after tracing is
instrumented) and what the tests do (the ``ekm`` pytest plugin, at start-up): every
version is checked before anything is patched, and applying twice is applying once.
The contract tests are in ``libs/ekm-platform/tests/test_patches.py``.
"""

from __future__ import annotations

from ekm_platform.patches import nameko, nameko_grpc, nameko_opentelemetry, sqlalchemy
from ekm_platform.patches._core import PatchVersionError, check_versions, installed_version

MODULES = (nameko, nameko_grpc, nameko_opentelemetry, sqlalchemy)

__all__ = ["MODULES", "PatchVersionError", "apply_all", "check_all", "check_versions", "installed_version"]


def check_all() -> None:
    """Every patched dependency at the version its patch expects, or PatchVersionError."""
    for module in MODULES:
        module.check()


def apply_all() -> None:
    """Check every version, then apply every patch (the tracing ones only to what tracing
    has instrumented so far: call this after ``NamekoInstrumentor().instrument()``)."""
    check_all()
    for module in MODULES:
        module.apply()
