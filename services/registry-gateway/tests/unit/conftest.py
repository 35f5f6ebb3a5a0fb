"""A fake of the cases service's two RPC answers the gateway relies on, with the contract's
semantics: who may see which case, who is the case's person or a household member, and
which consents are stored."""

from __future__ import annotations

import pytest


class FakeCases:
    def __init__(self):
        self.cases = {}  # case_number -> {"case_id", "owner", "person_id", "rnokpp", "unzr", "household"}
        self.consents = {}  # (person_id, purpose, recipient) -> record
        self.calls = []

    def open_case(self, case_number, owner, person_id, rnokpp="", unzr="", household=()):
        self.cases[case_number] = {
            "case_id": f"id-{case_number}",
            "owner": owner,
            "person_id": person_id,
            "rnokpp": rnokpp,
            "unzr": unzr,
            "household": list(household),
        }

    def consent(self, person_id, registry, consent_id="consent-1"):
        self.consents[(person_id, "registry_lookup", registry)] = {
            "consent_id": consent_id,
            "person_id": person_id,
            "purpose": "registry_lookup",
            "recipient": registry,
        }

    def withdraw(self, person_id, registry):
        self.consents.pop((person_id, "registry_lookup", registry), None)

    def check_case_access(self, actor, case_number, subject=None):
        self.calls.append(("check_case_access", actor["user_id"], case_number, subject))
        case = self.cases.get(case_number)
        if case is None or actor["user_id"] not in (case["owner"], "sv-" + case["owner"]):
            return {"status": "not_found"}
        is_case_person = True
        if subject:
            key, value = next(iter(subject.items()))
            if case.get(key) == value:
                is_case_person = True
            elif any(member.get(key) == value for member in case["household"]):
                is_case_person = False
            else:
                return {"status": "person_not_in_case"}
        return {
            "status": "ok",
            "case_id": case["case_id"],
            "case_number": case_number,
            "stage": "assessment",
            "person_id": case["person_id"],
            "is_case_person": is_case_person,
            "identifiers_only": False,
        }

    def active_consent(self, person_id, purpose, recipient):
        self.calls.append(("active_consent", person_id, purpose, recipient))
        return self.consents.get((person_id, purpose, recipient))


def make_actor(user_id="cm-7", role="case_manager"):
    return {"user_id": user_id, "role": role, "community_code": "", "organisation": ""}


@pytest.fixture
def cases():
    return FakeCases()


@pytest.fixture
def actor():
    return make_actor
