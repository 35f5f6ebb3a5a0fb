"""Which caller may bring an appeal through which channel. Plain Python.

- in person / phone line: staff enter it (an operator, a case manager or a supervisor);
- recipient cabinet, mobile app, Diia: the person themselves, authenticated as a recipient;
- chat-bot: only the signed webhook (``intake.webhook``), acting as the bot (role ``chatbot``);
- another agency's referral: a partner agency (its token), or interagency over the internal RPC;
- registry signal: only the platform itself, from the gateway's event.

Each appeal keeps its channel and its source reference (a call or visit number, the bot's
conversation, the agency's referral number, ``signal:<id>``).
"""

from __future__ import annotations

import re

from ekm_platform.errors import FieldViolation
from intake.domain.model import Channel

STAFF = ("operator", "case_manager", "supervisor")
WHO_MAY = {
    Channel.IN_PERSON: STAFF,
    Channel.PHONE: STAFF,
    Channel.RECIPIENT_CABINET: ("recipient",),
    Channel.MOBILE_APP: ("recipient",),
    Channel.DIIA: ("recipient",),
    Channel.CHATBOT: ("chatbot",),
    Channel.AGENCY_REFERRAL: ("partner_agency",),
    Channel.REGISTRY_SIGNAL: ("service",),
}
WHO_MAY_UK = {
    Channel.IN_PERSON: "працівник (оператор або кейс-менеджер)",
    Channel.PHONE: "працівник (оператор або кейс-менеджер)",
    Channel.RECIPIENT_CABINET: "сам отримувач",
    Channel.MOBILE_APP: "сам отримувач",
    Channel.DIIA: "сам отримувач",
    Channel.CHATBOT: "лише підписаний вебхук чат-бота",
    Channel.AGENCY_REFERRAL: "лише інший орган",
    Channel.REGISTRY_SIGNAL: "лише сама платформа",
}
WHO_MAY_EN = {
    Channel.IN_PERSON: "staff (an operator or a case manager)",
    Channel.PHONE: "staff (an operator or a case manager)",
    Channel.RECIPIENT_CABINET: "the recipient themselves",
    Channel.MOBILE_APP: "the recipient themselves",
    Channel.DIIA: "the recipient themselves",
    Channel.CHATBOT: "only the signed chat-bot webhook",
    Channel.AGENCY_REFERRAL: "only another agency",
    Channel.REGISTRY_SIGNAL: "only the platform itself",
}
MAX_SOURCE_REFERENCE = 200
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]*$")


def channel_problem(channel: Channel | None, role: str) -> FieldViolation | None:
    """None when ``role`` may bring an appeal through ``channel``; otherwise what is wrong."""
    if channel is None or role in WHO_MAY[channel]:
        return None
    return FieldViolation(
        "channel",
        f"цим каналом звернення подає {WHO_MAY_UK[channel]} / "
        f"appeals through this channel come from {WHO_MAY_EN[channel]}",
    )


def source_reference_problem(reference: str) -> FieldViolation | None:
    if len(reference) > MAX_SOURCE_REFERENCE or not _PRINTABLE.match(reference):
        return FieldViolation(
            "source_reference",
            f"до {MAX_SOURCE_REFERENCE} друкованих символів / up to {MAX_SOURCE_REFERENCE} printable characters",
        )
    return None
