"""Resolving recipients' contacts over AMQP RPC: intake knows an applicant's, cases a person's.
A batch's calls are sent at once and awaited together (one round trip, not one per recipient)."""
from __future__ import annotations

import eventlet
from nameko.exceptions import RemoteError

from notifications.service_layer.dispatch import ContactUnavailable


def rpc_resolver(intake, cases, timeout: float):
    """``resolve(kind, ids) -> {id: contact | None | ContactUnavailable}`` over the service's RPC proxies."""
    def resolve(kind: str, ids: list) -> dict:
        method = {"applicant": lambda: intake.get_applicant_contact,
                  "person": lambda: cases.get_person_contact}.get(kind)
        if method is None:
            return {i: None for i in ids}
        call = method()
        replies = {i: call.call_async(i) for i in ids}
        answers: dict = {}
        try:
            with eventlet.Timeout(timeout):
                for i, reply in replies.items():
                    try:
                        answers[i] = reply.result()
                    except RemoteError as exc:
                        answers[i] = None if exc.exc_type == "NotFound" else ContactUnavailable(exc.exc_type)
        except eventlet.Timeout:
            pass
        return {i: answers.get(i, ContactUnavailable("timeout")) for i in ids}
    return resolve
