"""Which community (громада) and provider an appeal goes to. Plain Python.

An appeal is never accepted without a community that the platform serves: a case opened
for nobody's community would be owned by nobody. The rule (``route``), on the official codifier
КАТОТТГ (``intake.adapters.codifier``):

1. the community named in the request (``community_code``: a community, or any unit within one),
   if the platform serves it;
2. otherwise the community of the person's actual address, then of the registered address (a
   КАТОТТГ code, or region + settlement by name), if served; the provider is the one of the
   community that covers the settlement, else the community's default provider;
3. otherwise the submitter's own community (the ``community`` claim of a staff token), if no
   address or code named a region;
4. an appeal whose region is known (from any of the above) but whose community is not served goes
   to that region's intake queue — if the platform serves a community in that region;
5. otherwise it is refused, naming the field (``community_code``, ``actual_address.katottg``, …).

A proactive appeal (a registry signal carries no address) goes to the configured outreach
community, or — in a deployment that serves one community — to that community; otherwise it
cannot be routed and the signal goes to the dead letters with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ekm_platform.errors import FieldViolation, ValidationError

REQUIRED = "потрібна громада, до якої спрямувати звернення / required: the community (КАТОТТГ) the appeal is routed to"


def community_for(requested: str, submitter_community: str, is_served: Callable[[str], bool]) -> str:
    code = requested or submitter_community
    if not code:
        raise ValidationError.single("community_code", REQUIRED)
    if not is_served(code):
        raise ValidationError.single(
            "community_code", f"громада {code} не обслуговується платформою / community {code} is not served here"
        )
    return code


def outreach_community(configured: str, served: list[str]) -> str | None:
    if configured:
        return configured if configured in served else None
    return served[0] if len(served) == 1 else None


@dataclass(frozen=True)
class Address:
    katottg: str = ""  # any unit: settlement, community, city district
    region: str = ""  # область (or Київ / Севастополь) by name
    settlement: str = ""  # by name, within the region
    street: str = ""  # kept for the case worker, never used to route

    @property
    def given(self) -> bool:
        return bool(self.katottg or self.region or self.settlement or self.street)


@dataclass(frozen=True)
class Unit:
    """One КАТОТТГ object with the community and region it lies in."""

    code: str
    name: str
    category: str  # O K P H M T C X B
    community_code: str  # "" for a region or raion (above any community)
    community_name: str
    region_code: str
    region_name: str
    path: str = ""


class CodifierLookup(Protocol):
    def unit(self, code: str) -> Unit | None: ...
    def region(self, name: str) -> Unit | None: ...
    def settlement(self, region_code: str, name: str) -> Unit | None: ...


@dataclass(frozen=True)
class Provider:
    code: str
    name: str
    community_code: str
    settlements: tuple = ()  # КАТОТТГ codes it covers; empty: the whole community
    default: bool = False


@dataclass(frozen=True)
class Route:
    community_code: str  # "" while the appeal waits in the region's queue
    provider_code: str
    region_code: str
    basis: str  # community_code | actual_address | registered_address | submitter | region_queue
    unit_code: str = ""  # the КАТОТТГ unit routed by
    unit_name: str = ""
    reason: str = ""  # region_queue: why no community took it (uk / en)

    @property
    def queued(self) -> bool:
        return self.basis == "region_queue"


def provider_for(community_code: str, unit_code: str, providers: list[Provider]) -> str:
    """The community's provider covering the settlement, else its default one, else ""."""
    own = [p for p in providers if p.community_code == community_code]
    covering = [p for p in own if unit_code and unit_code in p.settlements]
    chosen = covering or [p for p in own if p.default] or own
    return chosen[0].code if chosen else ""


NOT_IN_KATOTTG = "коду немає в КАТОТТГ / the code is not in the KATOTTG codifier"


def _address_unit(
    prefix: str, address: Address, codifier: CodifierLookup, problems: list[FieldViolation]
) -> tuple[Unit | None, Unit | None]:
    """(the unit the address names, its region) — either may be None."""
    if address.katottg:
        unit = codifier.unit(address.katottg)
        if unit is None:
            problems.append(FieldViolation(f"{prefix}.katottg", NOT_IN_KATOTTG))
            return None, None
        return unit, codifier.unit(unit.region_code) if unit.region_code else None
    region = codifier.region(address.region) if address.region else None
    if address.region and region is None:
        problems.append(FieldViolation(f"{prefix}.region", "невідома область / unknown region"))
        return None, None
    if region is None:
        return None, None
    unit = codifier.settlement(region.code, address.settlement) if address.settlement else None
    return unit, region


def route(
    requested: str,
    actual: Address,
    registered: Address,
    submitter_community: str,
    codifier: CodifierLookup,
    served: Callable[[str], bool],
    providers: list[Provider],
    region_served: Callable[[str], bool],
) -> Route:
    """Where the appeal goes (see the module's rule); raises ``ValidationError`` naming the field
    when it can go nowhere."""
    problems: list[FieldViolation] = []
    region_hint: tuple[str, Unit, Unit | None] | None = None  # (field, region unit, unit) of the first known region

    def routed(unit: Unit | None, basis: str, code: str = "") -> Route | None:
        community = code or (unit.community_code if unit else "")
        if community and served(community):
            unit_code = unit.code if unit else community
            return Route(
                community,
                provider_for(community, unit_code, providers),
                unit.region_code if unit else "",
                basis,
                unit_code,
                unit.name if unit else "",
            )
        return None

    if requested:
        unit = codifier.unit(requested)
        if unit is None and served(requested):  # a deployment's own row the codifier does not know
            return Route(requested, provider_for(requested, requested, providers), "", "community_code", requested)
        if unit is None:
            raise ValidationError.single("community_code", NOT_IN_KATOTTG)
        if found := routed(unit, "community_code"):
            return found
        region = codifier.unit(unit.region_code) if unit.region_code else None
        if region is not None:
            region_hint = ("community_code", region, unit)
    for prefix, address in (("actual_address", actual), ("registered_address", registered)):
        if not address.given:
            continue
        unit, region = _address_unit(prefix, address, codifier, problems)
        if problems:
            raise ValidationError(problems)
        if unit is not None and (found := routed(unit, prefix)):
            return found
        if region is not None and region_hint is None:
            region_hint = (prefix, region, unit)
    if region_hint is None and submitter_community and served(submitter_community):
        unit = codifier.unit(submitter_community)
        return Route(
            submitter_community,
            provider_for(submitter_community, submitter_community, providers),
            unit.region_code if unit else "",
            "submitter",
            submitter_community,
        )
    if region_hint is None:
        raise ValidationError.single("community_code", REQUIRED)
    field, region, unit = region_hint
    if not region_served(region.code):
        where = (
            field
            if field == "community_code"
            else f"{field}.{'katottg' if (actual if field == 'actual_address' else registered).katottg else 'region'}"
        )
        named = f"{unit.code} " if unit else ""
        raise ValidationError.single(
            where,
            f"громада {named}не обслуговується, як і жодна громада області "
            f"«{region.name}» / community {named}is not served here, nor is any "
            f"community of its region",
        )
    name = unit.name if unit else ""
    reason = (
        f"громада {unit.community_name or name} не обслуговується платформою / the community is not served here"
        if unit and unit.community_code
        else "адресу не зіставлено з громадою / the address did not resolve to a community"
    )
    return Route("", "", region.code, "region_queue", unit.code if unit else "", name, reason)
