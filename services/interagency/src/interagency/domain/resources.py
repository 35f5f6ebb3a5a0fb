"""The community resource bank: offers of help (from the community, providers, donors, NGOs),
matching a case's assessed needs to them with reasons, and bookings. Plain Python.

The type of help is a code of the cases service catalogue (``ekm.cases.v1.ServiceType``);
eligibility is data (veteran statuses, age bands, disability), checked against what cases says
about the case (``cases.case_needs``: codes and an age, never a name).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from ekm_platform.errors import FieldViolation, ValidationError
from interagency.domain.deidentify import AGE_BAND_CODES, age_band, region_of

# ekm.cases.v1.ServiceType codes (a unit test keeps them equal to the enum)
SERVICE_TYPES = (
    "consultation",
    "representation_of_interests",
    "home_care",
    "in_kind_help",
    "social_support_of_families",
    "social_adaptation",
    "crisis_intervention",
    "rehabilitation",
    "prosthetics_and_assistive_devices",
    "payments",
)
# ekm.cases.v1.VeteranStatus codes
VETERAN_STATUSES = (
    "combatant",
    "wounded",
    "returned_from_service",
    "released_from_captivity",
    "disabled_due_to_war",
    "family_of_fallen_defender",
)
OFFERER_KINDS = ("community", "provider", "donor", "ngo")
# which kinds of offer each role may add (a donor only as a donor; a partner as a provider or NGO)
KINDS_BY_ROLE = {
    "donor": ("donor",),
    "partner_agency": ("provider", "ngo"),
    "supervisor": ("community", "provider", "ngo"),
}
MAX_TITLE = 200
MAX_DESCRIPTION = 4096
MAX_CAPACITY = 1_000_000


def owner_key(user_id: str, organisation: str) -> str:
    """Whose offer it is: the organisation of the token when it has one, else the user."""
    return f"org:{organisation}" if organisation else f"user:{user_id}"


@dataclass(frozen=True)
class Reason:
    code: str
    text: str  # Ukrainian / English


@dataclass(frozen=True)
class Eligibility:
    veteran_statuses: tuple[str, ...] = ()  # any of these; empty: anybody
    age_bands: tuple[str, ...] = ()  # any of these; empty: any age
    disability_groups: tuple[int, ...] = ()  # any of these groups (1..3); empty: not asked
    disability_required: bool = False  # some disability group is needed (any, if no groups named)

    def check(self, profile: NeedsProfile) -> tuple[list[Reason], list[Reason]]:
        """(conditions met, conditions not met) — each with its reason."""
        met: list[Reason] = []
        unmet: list[Reason] = []
        if self.veteran_statuses:
            common = sorted(set(self.veteran_statuses) & set(profile.veteran_statuses))
            (met if common else unmet).append(
                Reason(
                    "veteran_status",
                    f"статус ветерана: потрібен один із {', '.join(self.veteran_statuses)}"
                    f" — {'є ' + ', '.join(common) if common else 'немає'} / veteran status: one of "
                    f"{', '.join(self.veteran_statuses)} needed — {'has ' + ', '.join(common) if common else 'none'}",
                )
            )
        if self.age_bands:
            band = profile.age_band
            (met if band in self.age_bands else unmet).append(
                Reason(
                    "age_band",
                    f"вікова група {band}: {'підходить' if band in self.age_bands else 'не підходить'}"
                    f" ({', '.join(self.age_bands)}) / age band {band}: "
                    f"{'fits' if band in self.age_bands else 'does not fit'} ({', '.join(self.age_bands)})",
                )
            )
        if self.disability_groups or self.disability_required:
            group = profile.disability_group
            ok = group in self.disability_groups if self.disability_groups else group > 0
            wanted = ", ".join(map(str, self.disability_groups)) or "1, 2, 3"
            (met if ok else unmet).append(
                Reason(
                    "disability",
                    f"група інвалідності ({wanted}): {group or 'немає'} / disability group ({wanted}): "
                    f"{group or 'none'}",
                )
            )
        return met, unmet


@dataclass(frozen=True)
class Offer:
    owner: str  # owner_key of whoever added it
    offerer_kind: str  # community | provider | donor | ngo
    offerer_name: str
    title: str
    service_type: str
    region: str  # UA + two digits (KATOTTG oblast)
    community_code: str  # "" = the whole region
    capacity: int
    valid_from: date
    valid_until: date
    eligibility: Eligibility = Eligibility()
    description: str = ""
    remaining: int = -1  # -1: the capacity (a new offer)
    state: str = "active"  # active | withdrawn
    created_by: str = ""
    offer_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def __post_init__(self):
        if self.remaining < 0:
            object.__setattr__(self, "remaining", self.capacity)

    def valid_on(self, day: date) -> bool:
        return self.state == "active" and self.valid_from <= day <= self.valid_until

    def withdraw(self) -> Offer:
        return replace(self, state="withdrawn")


@dataclass(frozen=True)
class Need:
    service_type: str
    source: str  # assessment | plan
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedsProfile:
    """What cases says about a case for matching (``cases.case_needs``)."""

    case_number: str
    community_code: str
    needs: tuple[Need, ...]
    veteran_statuses: tuple[str, ...] = ()
    disability_group: int = 0
    age_years: int | None = None

    @property
    def age_band(self) -> str:
        return age_band(self.age_years)

    @classmethod
    def from_rpc(cls, answer: dict) -> NeedsProfile:
        return cls(
            answer["case_number"],
            answer.get("community_code", ""),
            tuple(
                Need(n["service_type"], n.get("source", "assessment"), tuple(n.get("domains", ())))
                for n in answer.get("needs", ())
            ),
            tuple(answer.get("veteran_statuses", ())),
            int(answer.get("disability_group") or 0),
            answer.get("age_years"),
        )


@dataclass(frozen=True)
class Match:
    offer: Offer
    need: Need
    reasons: tuple[Reason, ...]  # why it matches
    missing: tuple[Reason, ...] = ()  # eligibility conditions the case does not meet

    @property
    def eligible(self) -> bool:
        return not self.missing


def match(profile: NeedsProfile, offers: list[Offer], today: date) -> list[Match]:
    """Each need against each offer of its type in the case's region that is valid today and
    has places left: eligible ones first (own community before the region's), then the ones a
    condition rules out, with that condition named."""
    region = region_of(profile.community_code)
    results = []
    for need in profile.needs:
        for offer in offers:
            if offer.service_type != need.service_type or not offer.valid_on(today) or offer.remaining <= 0:
                continue
            if offer.region != region or (offer.community_code and offer.community_code != profile.community_code):
                continue
            reasons = [
                Reason(
                    "need",
                    f"потреба «{need.service_type}» з "
                    f"{'оцінки потреб' if need.source == 'assessment' else 'плану'}"
                    f"{' (' + ', '.join(need.domains) + ')' if need.domains else ''} / need "
                    f"'{need.service_type}' from the {need.source}"
                    f"{' (' + ', '.join(need.domains) + ')' if need.domains else ''}",
                ),
                Reason(
                    "place",
                    "у громаді випадку / in the case's community"
                    if offer.community_code
                    else f"у регіоні {region} / in region {region}",
                ),
                Reason(
                    "capacity",
                    f"вільних місць: {offer.remaining} з {offer.capacity} / "
                    f"places left: {offer.remaining} of {offer.capacity}",
                ),
                Reason(
                    "valid", f"діє до {offer.valid_until.isoformat()} / valid until {offer.valid_until.isoformat()}"
                ),
            ]
            met, unmet = offer.eligibility.check(profile)
            results.append(Match(offer, need, tuple(reasons + met), tuple(unmet)))
    results.sort(key=lambda m: (not m.eligible, not m.offer.community_code, -m.offer.remaining, m.offer.title))
    return results


@dataclass(frozen=True)
class Booking:
    offer_id: str
    case_number: str
    service_type: str
    community_code: str  # generalised attributes kept for de-identified reports only
    age_band: str
    booked_by: str
    client_request_id: str = ""
    state: str = "booked"  # booked | cancelled
    booking_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def event(self) -> dict:
        return {
            "booking_id": self.booking_id,
            "offer_id": self.offer_id,
            "case_number": self.case_number,
            "service_type": self.service_type,
        }


def _date(value, name, problems):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(FieldViolation(name, "дата РРРР-ММ-ДД / a YYYY-MM-DD date"))
        return None


def new_offer(
    role: str,
    user_id: str,
    organisation: str,
    offerer_kind: str,
    offerer_name: str,
    title: str,
    service_type: str,
    community_code: str,
    region: str,
    capacity: int,
    valid_from,
    valid_until,
    eligibility: Eligibility,
    description: str = "",
    today: date | None = None,
) -> Offer:
    """A validated offer; every invalid field named."""
    today = today or date.today()
    problems: list[FieldViolation] = []
    allowed = KINDS_BY_ROLE.get(role, ())
    offerer_kind = offerer_kind or (allowed[0] if allowed else "")
    if offerer_kind not in allowed:
        problems.append(
            FieldViolation(
                "offerer_kind",
                f"для цієї ролі: {', '.join(allowed) or '—'} / for this role: {', '.join(allowed) or '—'}",
            )
        )
    if not title.strip():
        problems.append(FieldViolation("title", "обов'язкове поле / required"))
    elif len(title) > MAX_TITLE:
        problems.append(FieldViolation("title", f"не більше {MAX_TITLE} символів / at most {MAX_TITLE} characters"))
    if len(description.encode("utf-8")) > MAX_DESCRIPTION:
        problems.append(FieldViolation("description", "більше 4 КіБ / longer than 4 KiB"))
    if service_type not in SERVICE_TYPES:
        problems.append(
            FieldViolation("service_type", "невідомий або не вказаний вид допомоги / unknown or missing type of help")
        )
    community_code = (community_code or "").strip().upper()
    region = (region or "").strip().upper() or region_of(community_code)
    if community_code and (not region_of(community_code) or len(community_code) != 19):
        problems.append(
            FieldViolation("community_code", "код КАТОТТГ (UA + 17 цифр) / a KATOTTG code (UA + 17 digits)")
        )
    elif community_code and region != region_of(community_code):
        problems.append(FieldViolation("region", "громада не в цьому регіоні / the community is not in this region"))
    if not region or len(region) != 4 or not region[2:].isdigit():
        problems.append(
            FieldViolation(
                "region",
                "регіон (UA + 2 цифри) або громада обов'язкові / a region (UA + 2 digits) or a community is required",
            )
        )
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        problems.append(FieldViolation("capacity", f"від 1 до {MAX_CAPACITY} / from 1 to {MAX_CAPACITY}"))
    start, end = _date(valid_from, "valid_from", problems), _date(valid_until, "valid_until", problems)
    if start and end and end < start:
        problems.append(FieldViolation("valid_until", "не раніше початку / not before valid_from"))
    elif end and end < today:
        problems.append(FieldViolation("valid_until", "вже минуло / already past"))
    for status in eligibility.veteran_statuses:
        if status not in VETERAN_STATUSES:
            problems.append(
                FieldViolation("eligibility.veteran_statuses", f"невідомий статус / unknown status: {status}")
            )
    for band in eligibility.age_bands:
        if band not in AGE_BAND_CODES:
            problems.append(
                FieldViolation(
                    "eligibility.age_bands", f"одна з {', '.join(AGE_BAND_CODES)} / one of {', '.join(AGE_BAND_CODES)}"
                )
            )
    for group in eligibility.disability_groups:
        if group not in (1, 2, 3):
            problems.append(FieldViolation("eligibility.disability_groups", "група 1, 2 або 3 / group 1, 2 or 3"))
    if problems:
        raise ValidationError(problems)
    return Offer(
        owner=owner_key(user_id, organisation),
        offerer_kind=offerer_kind,
        offerer_name=offerer_name.strip()[:200] or organisation or user_id,
        title=title.strip(),
        service_type=service_type,
        region=region,
        community_code=community_code,
        capacity=capacity,
        valid_from=start,
        valid_until=end,
        eligibility=eligibility,
        description=description.strip(),
        created_by=user_id,
    )
