"""The REST adapter against the real simulator process: X-Road REST headers, faults, limits."""

import urllib.error
import urllib.request
from datetime import date

import pytest

from registry_gateway.adapters.education import EducationClient
from registry_gateway.domain import facts
from registry_gateway.domain.lookup import Query, RegistryUnavailable

pytestmark = pytest.mark.timeout(60)
CHILD = Query("4271512340", "", "CASE-2026-AAAAAAA", "оцінка потреб дитини", "cm-7")


def ask(base, query=CHILD):
    return EducationClient(f"{base}/education/v1", timeout=2).enrolments(query, date(2020, 1, 1), date(2026, 12, 31))


def set_education_fault(base, mode):
    import json

    request = urllib.request.Request(
        f"{base}/_control/faults", method="POST", data=json.dumps({"registry": "education", "mode": mode}).encode()
    )
    urllib.request.urlopen(request, timeout=5).read()


def test_enrolment_and_special_needs_become_facts(simulator):
    base, _ = simulator
    set_education_fault(base, "none")
    reply = ask(base)
    kinds = {f.kind for f in facts.from_enrolments(reply.records)}
    assert reply.found and kinds == {facts.CHILD_ENROLLED, facts.SPECIAL_EDUCATIONAL_NEEDS}
    assert len(reply.response_sha256) == 64


def test_the_simulator_requires_the_xroad_rest_headers(simulator):
    base, _ = simulator
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{base}/education/v1/enrolments?rnokpp=4271512340", timeout=5)
    assert caught.value.code == 400 and "X-Road-Client" in caught.value.read().decode()


@pytest.mark.parametrize("mode", ["http_500", "malformed", "huge"])
def test_faults_are_unavailable(simulator, mode):
    base, _ = simulator
    set_education_fault(base, mode)
    try:
        with pytest.raises(RegistryUnavailable):
            ask(base)
    finally:
        set_education_fault(base, "none")
