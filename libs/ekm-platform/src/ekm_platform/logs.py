"""Logging: one line per record, the service name in it, no personal data in messages."""

from __future__ import annotations

import logging
import os


def setup_logging(service: str) -> None:
    level = os.environ.get("EKM_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        level=level,
        format=f"%(asctime)s %(levelname)s {service} %(name)s: %(message)s",
    )
    for noisy in ("kombu", "amqp", "nameko_grpc", "h2", "urllib3", "zeep"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
