"""Fault modes, switched at run time: POST /_control/faults {"registry", "mode", "delay"}."""

from __future__ import annotations

import threading

MODES = ("none", "slow", "timeout", "soap_fault", "http_500", "malformed", "huge")


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._modes: dict[str, tuple[str, float]] = {}

    def set(self, registry: str, mode: str, delay: float = 2.0) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
        with self._lock:
            self._modes[registry] = (mode, float(delay))

    def get(self, registry: str) -> tuple[str, float]:
        with self._lock:
            return self._modes.get(registry, ("none", 0.0))
