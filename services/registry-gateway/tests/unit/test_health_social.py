"""Health (FHIR), disability (ЦБІ) and housing registries against the real simulator."""

from datetime import date

import pytest

from registry_gateway.adapters.health_social import HealthClient, SocialRegistriesClient
from registry_gateway.domain import facts
from registry_gateway.domain.lookup import Query

pytestmark = pytest.mark.timeout(60)
VETERAN = Query("3221512349", "", "CASE-2026-AAAAAAA", "оцінка потреб", "cm-7")
FAMILY = Query("3378612352", "", "CASE-2026-AAAAAAB", "оцінка потреб", "cm-7")


@pytest.fixture
def urls(simulator, monkeypatch):
    base, set_fault = simulator
    set_fault("none")
    monkeypatch.setenv("EKM_HEALTH_URL", f"{base}/health/fhir")
    monkeypatch.setenv("EKM_DISABILITY_URL", f"{base}/social/v1/disability")
    monkeypatch.setenv("EKM_HOUSING_URL", f"{base}/restoration/v1/damage")


def kinds(reply):
    return {f.kind for f in facts.from_social_records(reply.records)}


def test_health_declaration_rehabilitation_and_disability(urls):
    reply = HealthClient(timeout=3).records(VETERAN, date(2020, 1, 1), date(2026, 12, 31))
    assert reply.found and kinds(reply) == {
        facts.FAMILY_DOCTOR_DECLARED,
        facts.REHABILITATION_EPISODE,
        facts.DISABILITY_ESTABLISHED,
    }
    assert not HealthClient(timeout=3).records(FAMILY, date(2020, 1, 1), date(2026, 12, 31)).found


def test_disability_bank_and_housing_damage(urls):
    social = SocialRegistriesClient(timeout=3)
    assert kinds(social.disability(VETERAN, date(2020, 1, 1), date(2026, 12, 31))) == {facts.DISABILITY_ESTABLISHED}
    housing = social.housing(FAMILY, date(2020, 1, 1), date(2026, 12, 31))
    assert housing.found and kinds(housing) == {facts.HOUSING_DAMAGED}
    assert not social.housing(VETERAN, date(2020, 1, 1), date(2026, 12, 31)).found
