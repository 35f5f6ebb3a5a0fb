"""The zeep adapter against the real simulator process (loopback HTTP)."""

import time
import urllib.request
from datetime import date

import pytest

from registry_gateway.adapters.border_guard import BorderGuardClient
from registry_gateway.domain import facts
from registry_gateway.domain.lookup import Query, RegistryUnavailable

pytestmark = pytest.mark.timeout(60)
QUERY = Query(rnokpp="3221512349", unzr="", case_number="CASE-2026-AAAAAAA", purpose="оцінка потреб", user_id="cm-7")


def ask(base, query=QUERY, timeout=3):
    return BorderGuardClient(f"{base}/border-guard", timeout=timeout).crossings(
        query, date(2020, 1, 1), date(2026, 12, 31)
    )


def post(base, body: bytes):
    request = urllib.request.Request(
        f"{base}/border-guard", data=body, method="POST", headers={"Content-Type": "text/xml"}
    )
    try:
        return urllib.request.urlopen(request, timeout=5).read()
    except urllib.error.HTTPError as exc:
        return exc.read()


def test_a_returned_veteran_and_the_evidence_of_the_exchange(simulator):
    base, set_fault = simulator
    set_fault("none")
    reply = ask(base)
    assert reply.found and len(reply.response_sha256) == 64 and reply.xroad_id
    kinds = [f.kind for f in facts.from_border_crossings(reply.records)]
    assert facts.RETURNED_FROM_SERVICE in kinds and kinds.count(facts.CROSSED_BORDER) == 2


def test_unknown_person_is_not_found(simulator):
    base, set_fault = simulator
    set_fault("none")
    assert not ask(base, Query("", "19920702-43223", "CASE-1", "p", "cm")).records


@pytest.mark.parametrize("mode", ["soap_fault", "http_500", "malformed", "huge"])
def test_registry_faults_become_unavailable(simulator, mode):
    base, set_fault = simulator
    set_fault(mode)
    try:
        with pytest.raises(RegistryUnavailable):
            ask(base)
    finally:
        set_fault("none")


def test_a_slow_registry_times_out_within_its_timeout(simulator):
    base, set_fault = simulator
    set_fault("timeout", 5)
    started = time.monotonic()
    try:
        with pytest.raises(RegistryUnavailable):
            ask(base, timeout=1)
    finally:
        set_fault("none")
    assert time.monotonic() - started < 4


def test_the_simulator_rejects_missing_xroad_headers_and_hostile_xml(simulator):
    base, _ = simulator
    bare = (
        b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        b'<soapenv:Body><GetBorderCrossings xmlns="http://dpsu.gov.ua/xroad/border-crossings/v1"/>'
        b"</soapenv:Body></soapenv:Envelope>"
    )
    assert b"missing X-Road header 'client'" in post(base, bare)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
        b"<x>&lol2;</x></soapenv:Body></soapenv:Envelope>"
    )
    assert b"DTDs and entities are forbidden" in post(base, laughs)
    assert b"malformed XML" in post(base, b"<soapenv:Envelope")


def test_the_feed_of_new_returns(simulator):
    base, set_fault = simulator
    set_fault("none")
    records, xroad_id, digest = BorderGuardClient(f"{base}/border-guard", timeout=3).new_returns(date(2026, 11, 1))
    assert [r["source_id"] for r in records] == ["dpsu-ret-000102"] and xroad_id and len(digest) == 64


def test_the_childrens_registry_lists_a_households_children_and_their_status(simulator):
    from registry_gateway.adapters.children import ChildrenClient

    base, set_fault = simulator
    set_fault("none")
    parent = Query("3378612352", "", "CASE-2026-AAAAAAB", "оцінка потреб дітей", "cm-7")
    reply = ChildrenClient(f"{base}/children", timeout=3).household_children(
        parent, date(2020, 1, 1), date(2026, 12, 31)
    )
    found = [(f.kind, f.attributes.get("status")) for f in facts.from_household_children(reply.records)]
    assert reply.found and ("registry.child.status", "difficult_circumstances") in found
    assert [k for k, _ in found].count("registry.child.in_household") == 2


def test_a_reply_that_echoes_another_x_road_message_id_is_refused(simulator, monkeypatch):
    """The security server echoes the request's headers; a reply carrying another
    message's id (a mixed-up or replayed reply) is not taken as this query's answer."""
    from registry_gateway.adapters import border_guard

    base, set_fault = simulator
    set_fault("none")
    real_read = border_guard.read_reply
    monkeypatch.setattr(
        border_guard,
        "read_reply",
        lambda client, operation, response, message_id: real_read(client, operation, response, "another-message"),
    )
    with pytest.raises(RegistryUnavailable, match="not 'another-message'"):
        ask(base)
    monkeypatch.setattr(border_guard, "read_reply", real_read)
    assert ask(base).found
