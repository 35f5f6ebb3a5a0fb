"""What every patch shares: the version check and an idempotent, reversible replace."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Mapping
from typing import Any

_MARK = "__ekm_patch__"
_ORIGINAL = "__ekm_original__"
_INHERITED = object()  # the class had no attribute of its own: restoring deletes ours


def _current(owner: Any, attribute: str) -> Any:
    if isinstance(owner, type):  # the raw function, not a bound one; inherited ones are not ours to keep
        return owner.__dict__.get(attribute, _INHERITED)
    return getattr(owner, attribute)


class PatchVersionError(RuntimeError):
    """An installed dependency is not the version a patch was written (and tested) against."""

    def __init__(self, patch: str, package: str, expected: str, found: str | None):
        self.patch, self.package, self.expected, self.found = patch, package, expected, found
        super().__init__(
            f"ЕКМ patch {patch!r} was written for {package}=={expected}, but "
            f"{'no ' + package + ' is installed' if found is None else package + '==' + found + ' is installed'}: "
            f"check that the patch is still needed and still right for the new version, then "
            f"update REQUIRES in ekm_platform/patches/ (and requirements.lock)"
        )


def installed_version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_versions(
    patch: str, requires: Mapping[str, str], version_of: Callable[[str], str | None] = installed_version
) -> None:
    """Fail loudly unless every package is installed at exactly the version the patch expects."""
    for package, expected in requires.items():
        found = version_of(package)
        if found != expected:
            raise PatchVersionError(patch, package, expected, found)


def replace(owner: Any, attribute: str, replacement: Any, patch: str) -> bool:
    """``owner.attribute = replacement`` unless this patch already did it (True when it did
    now). The replaced value stays reachable through ``original(owner, attribute)``."""
    current = _current(owner, attribute)
    if _marked(current, patch):
        return False
    try:
        setattr(replacement, _MARK, patch)
        setattr(replacement, _ORIGINAL, current)
    except (AttributeError, TypeError):  # a class or object that takes no attributes
        raise TypeError(f"patch {patch}: {replacement!r} cannot carry the patch mark") from None
    setattr(owner, attribute, replacement)
    return True


def is_patched(owner: Any, attribute: str, patch: str) -> bool:
    return _marked(_current(owner, attribute), patch)


def _marked(value: Any, patch: str) -> bool:
    """Whether ``patch`` is among the ЕКМ patches stacked on ``value`` (two patches may
    wrap one attribute: re-applying the inner one must not wrap the outer one again)."""
    while hasattr(value, _MARK):
        if getattr(value, _MARK) == patch:
            return True
        value = getattr(value, _ORIGINAL)
    return False


def original(owner: Any, attribute: str) -> Any:
    """What ``owner.attribute`` was before any ЕКМ patch replaced it (itself if none did;
    for a class attribute, the raw function from the class's ``__dict__``)."""
    current = _current(owner, attribute)
    while hasattr(current, _MARK):
        current = getattr(current, _ORIGINAL)
    return current


def restore(owner: Any, attribute: str) -> None:
    """Undo every ЕКМ patch of ``owner.attribute`` (for the contract tests' "unpatched" half)."""
    value = original(owner, attribute)
    if value is _INHERITED:
        delattr(owner, attribute)
    else:
        setattr(owner, attribute, value)
