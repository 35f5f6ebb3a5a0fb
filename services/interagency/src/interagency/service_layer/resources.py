"""Use cases of the community resource bank, the donor/partner cabinet and the state reports.

Roles:
- offers are added by donors (as donors), partner agencies (as providers or NGOs) and supervisors
  (community offers); a donor or partner sees, withdraws and reports on only its own offers
  (its token's organisation, else its user id);
- case managers and supervisors match and book resources only for cases they may see
  (``cases.case_needs``: GetCase's relation rule) — another manager's or an unknown case is NOT_FOUND;
- the state report ("needs of each community") is for a supervisor (their own community) and an
  operator acting as the state analyst (any community or region, or all regions); both see only
  de-identified counts (``interagency.domain.deidentify``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.exc import IntegrityError

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, Unavailable, ValidationError
from ekm_platform.unit_of_work import UnitOfWork
from interagency.adapters.resource_store import ResourceStore
from interagency.domain import deidentify
from interagency.domain.resources import SERVICE_TYPES, Booking, Eligibility, NeedsProfile, match, new_offer, owner_key

OFFER_NOT_FOUND = "Пропозицію не знайдено / offer not found"
BOOKING_NOT_FOUND = "Бронювання не знайдено / booking not found"
CASE_NOT_FOUND = "Випадок не знайдено / case not found"
PURPOSE = "банк ресурсів громади / community resource bank"
OFFERERS = ("donor", "partner_agency", "supervisor")
OWNERS = ("donor", "partner_agency")  # see only their own offers
CASE_WORKERS = ("case_manager", "supervisor")
STATE_ANALYSTS = ("supervisor", "operator")
RESOURCE_BOOKED = "resource.booked"
RESOURCE_RELEASED = "resource.booking_cancelled"

CaseNeeds = Callable[[dict, str], dict]  # cases.case_needs(actor, case_number)
CommunityNeeds = Callable[..., dict]  # cases.community_needs(actor, community_code, region)


def store(uow: UnitOfWork) -> ResourceStore:
    return ResourceStore(uow.session)


def _require(principal: Principal, roles: tuple[str, ...]) -> None:
    if principal.role not in roles:
        raise PermissionDenied(f"Роль '{principal.role}' не має доступу / role '{principal.role}' is not allowed")


def audit(uow: UnitOfWork, principal: Principal, action: str, kind: str, subject_id: str, **details) -> None:
    uow.audit(AuditEntry(principal.user_id, principal.role, action, kind, subject_id, PURPOSE, details))


# offers ------------------------------------------------------------------------------------
def create_offer(
    uow: UnitOfWork,
    principal: Principal,
    *,
    offerer_kind: str,
    offerer_name: str,
    title: str,
    service_type: str,
    community_code: str,
    region: str,
    capacity: int,
    valid_from: str,
    valid_until: str,
    eligibility: Eligibility,
    description: str = "",
    today: date | None = None,
):
    _require(principal, OFFERERS)
    offer = new_offer(
        principal.role,
        principal.user_id,
        principal.organisation,
        offerer_kind,
        offerer_name,
        title,
        service_type,
        community_code,
        region,
        capacity,
        valid_from,
        valid_until,
        eligibility,
        description,
        today,
    )
    store(uow).add_offer(offer)
    uow.publish(
        "resource.offered",
        {
            "offer_id": offer.offer_id,
            "service_type": offer.service_type,
            "region": offer.region,
            "capacity": offer.capacity,
        },
    )
    audit(uow, principal, "offer.create", "resource_offer", offer.offer_id, owner=offer.owner)
    uow.commit()
    return offer


def _own_offer(uow: UnitOfWork, principal: Principal, offer_id: str):
    offer = store(uow).get_offer(offer_id.strip()) if offer_id.strip() else None
    if offer is None:
        raise NotFound(OFFER_NOT_FOUND)
    if principal.role in OWNERS and offer.owner != owner_key(principal.user_id, principal.organisation):
        raise NotFound(OFFER_NOT_FOUND)
    return offer


def get_offer(uow: UnitOfWork, principal: Principal, offer_id: str):
    """Donors and partners: their own offers only (another's is NOT_FOUND); staff: any."""
    _require(principal, OWNERS + CASE_WORKERS + ("operator",))
    return _own_offer(uow, principal, offer_id)


def list_offers(
    uow: UnitOfWork,
    principal: Principal,
    service_type: str = "",
    region: str = "",
    active_only: bool = False,
    today: date | None = None,
):
    _require(principal, OWNERS + CASE_WORKERS + ("operator",))
    mine = owner_key(principal.user_id, principal.organisation) if principal.role in OWNERS else ""
    return store(uow).offers(
        owner=mine,
        service_types=(service_type,) if service_type else (),
        region=region.strip().upper(),
        active_on=(today or date.today()) if active_only else None,
    )


def withdraw_offer(uow: UnitOfWork, principal: Principal, offer_id: str):
    """The offer's owner (or a supervisor for a community offer) stops new bookings; bookings stay."""
    _require(principal, OFFERERS)
    offer = _own_offer(uow, principal, offer_id)
    if principal.role == "supervisor" and offer.owner != owner_key(principal.user_id, principal.organisation):
        raise NotFound(OFFER_NOT_FOUND)
    if offer.state != "active":
        raise FailedPrecondition("Пропозицію вже відкликано / the offer is already withdrawn")
    store(uow).set_state(offer.offer_id, "withdrawn")
    audit(uow, principal, "offer.withdraw", "resource_offer", offer.offer_id)
    uow.commit()
    return offer.withdraw()


# matching and booking ------------------------------------------------------------------------
def needs_profile(case_needs: CaseNeeds, principal: Principal, case_number: str) -> NeedsProfile:
    """The case's needs from cases, if the caller may work on the case (else NOT_FOUND)."""
    _require(principal, CASE_WORKERS)
    number = (case_number or "").strip().upper()
    if not number:
        raise ValidationError.single("case_number", "обов'язкове поле / required")
    answer = case_needs(principal.as_actor(), number)
    if not isinstance(answer, dict):
        raise Unavailable("Сервіс випадків не відповів / the cases service did not answer")
    if answer.get("status") != "ok":
        raise NotFound(CASE_NOT_FOUND)
    return NeedsProfile.from_rpc(answer)


def match_resources(
    uow: UnitOfWork, case_needs: CaseNeeds, principal: Principal, case_number: str, today: date | None = None
):
    """(the case's needs, matches with their reasons); audited as a read of the case's needs."""
    profile = needs_profile(case_needs, principal, case_number)
    today = today or date.today()
    types = tuple({n.service_type for n in profile.needs})
    offers = (
        store(uow).offers(service_types=types, region=deidentify.region_of(profile.community_code), active_on=today)
        if types
        else []
    )
    matches = match(profile, offers, today)
    audit(
        uow,
        principal,
        "resources.match",
        "case",
        profile.case_number,
        case_number=profile.case_number,
        matches=len(matches),
    )
    uow.commit()
    return profile, matches


def book_resource(
    uow: UnitOfWork,
    case_needs: CaseNeeds,
    principal: Principal,
    offer_id: str,
    case_number: str,
    client_request_id: str = "",
    today: date | None = None,
) -> tuple[Booking, int]:
    """One place of the offer for the case: (booking, places left). The decrement is one
    conditional UPDATE (see ResourceStore.take_place): under any concurrency exactly
    ``capacity`` bookings succeed; the rest are FAILED_PRECONDITION and store nothing."""
    today = today or date.today()
    profile = needs_profile(case_needs, principal, case_number)  # the RPC before any transaction
    resources = store(uow)
    client_request_id = (client_request_id or "").strip()[:64]
    offer = resources.get_offer((offer_id or "").strip()) if (offer_id or "").strip() else None
    if offer is None:
        raise NotFound(OFFER_NOT_FOUND)
    if client_request_id:
        existing = resources.booking_by_request(principal.user_id, client_request_id)
        if existing:
            if existing.offer_id != offer.offer_id or existing.case_number != profile.case_number:
                raise FailedPrecondition(
                    "Ідентифікатор запиту вже використано для іншого бронювання / "
                    "client_request_id was already used for another booking"
                )
            return existing, resources.get_offer(offer.offer_id).remaining
    if offer.region != deidentify.region_of(profile.community_code) or (
        offer.community_code and offer.community_code != profile.community_code
    ):
        raise FailedPrecondition("Пропозиція не для громади цього випадку / the offer is not for this case's community")
    _, unmet = offer.eligibility.check(profile)
    if unmet:
        raise FailedPrecondition("Умови пропозиції не виконано: " + "; ".join(r.text for r in unmet))
    uow.session.rollback()  # end the read: the write transaction starts with the UPDATE (see ResourceStore)
    remaining = resources.take_place(offer.offer_id, today)
    if remaining is None:
        uow.session.rollback()
        current = resources.get_offer(offer.offer_id)
        if current is None or not current.valid_on(today):
            raise FailedPrecondition("Пропозиція вже не діє / the offer is no longer valid")
        raise FailedPrecondition("Вільних місць немає / no places left")
    booking = Booking(
        offer_id=offer.offer_id,
        case_number=profile.case_number,
        service_type=offer.service_type,
        community_code=profile.community_code,
        age_band=profile.age_band,
        booked_by=principal.user_id,
        client_request_id=client_request_id,
    )
    try:
        resources.add_booking(booking)
        uow.publish(RESOURCE_BOOKED, booking.event())
        audit(
            uow,
            principal,
            "resource.book",
            "resource_booking",
            booking.booking_id,
            case_number=booking.case_number,
            offer_id=booking.offer_id,
        )
        uow.commit()
    except IntegrityError:  # the same request id raced itself: the first one's booking stands
        uow.session.rollback()
        existing = resources.booking_by_request(principal.user_id, client_request_id) if client_request_id else None
        if existing is None:
            raise
        return existing, resources.get_offer(offer.offer_id).remaining
    return booking, remaining


def cancel_booking(uow: UnitOfWork, check_case_access, principal: Principal, booking_id: str) -> Booking:
    """The case's manager or supervisor gives the place back."""
    _require(principal, CASE_WORKERS)
    resources = store(uow)
    booking = resources.get_booking((booking_id or "").strip()) if (booking_id or "").strip() else None
    if booking is None:
        raise NotFound(BOOKING_NOT_FOUND)
    answer = check_case_access(principal.as_actor(), booking.case_number)
    if not isinstance(answer, dict) or answer.get("status") != "ok":
        raise NotFound(BOOKING_NOT_FOUND)
    uow.session.rollback()
    if not resources.cancel_booking(booking.booking_id):
        raise FailedPrecondition("Бронювання вже скасовано / the booking is already cancelled")
    resources.give_back_place(booking.offer_id)
    uow.publish(RESOURCE_RELEASED, booking.event())
    audit(
        uow,
        principal,
        "resource.cancel",
        "resource_booking",
        booking.booking_id,
        case_number=booking.case_number,
        offer_id=booking.offer_id,
    )
    uow.commit()
    return Booking(**{**booking.__dict__, "state": "cancelled"})


# de-identified reports -------------------------------------------------------------------------
def _k(k: int) -> int:
    k = int(k or deidentify.DEFAULT_K)
    if k < deidentify.K_MIN:
        raise ValidationError.single("k", f"не менше {deidentify.K_MIN} / at least {deidentify.K_MIN}")
    return k


def donor_report(uow: UnitOfWork, principal: Principal, offer_id: str = "", k: int = 0):
    """Who received the caller's help, as counts of people by community × age band; no case
    numbers, nothing below k (see deidentify). Another owner's offer is NOT_FOUND."""
    _require(principal, OWNERS)
    k = _k(k)
    owner = owner_key(principal.user_id, principal.organisation)
    if offer_id.strip():
        _own_offer(uow, principal, offer_id)
    recipients = store(uow).recipients_of_owner(owner, offer_id.strip())
    counts: dict[tuple[str, str], int] = {}
    for _case, community, band in recipients:
        counts[(community, band)] = counts.get((community, band), 0) + 1
    rows = sorted({community for _c, community, _b in recipients})
    columns = list(deidentify.AGE_BAND_CODES) + [deidentify.UNKNOWN_AGE]
    table = deidentify.publish(counts, rows, columns, k=k, ordered_columns=True)
    offers = len(store(uow).offers(owner=owner))
    audit(uow, principal, "report.donor", "resource_report", owner, offer_id=offer_id.strip(), k=k)
    uow.commit()
    return table, offers


def community_needs_report(
    uow: UnitOfWork,
    community_needs: CommunityNeeds,
    principal: Principal,
    region: str = "",
    community_code: str = "",
    k: int = 0,
):
    """How many people need which services, and how many of those needs are unmet (no service
    in the plan, no booking in the resource bank): rows are communities (of one region or one
    community) or, for all of Ukraine, regions; de-identified like the donor report."""
    _require(principal, STATE_ANALYSTS)
    k = _k(k)
    region, community_code = region.strip().upper(), community_code.strip().upper()
    answer = community_needs(principal.as_actor(), community_code, region)
    if not isinstance(answer, dict):
        raise Unavailable("Сервіс випадків не відповів / the cases service did not answer")
    if answer.get("status") != "ok":
        raise PermissionDenied("Звіт про потреби громад недоступний / the community needs report is not allowed")
    rows = answer.get("rows", [])
    booked = store(uow).booked_services([r[0] for r in rows])
    by_region = not (region or community_code or principal.role == "supervisor")
    needs: dict[tuple[str, str], int] = {}
    unmet: dict[tuple[str, str], int] = {}
    for case_number, community, _age, needed, planned in rows:
        line = deidentify.region_of(community) if by_region else community
        for service in set(needed):
            needs[(line, service)] = needs.get((line, service), 0) + 1
            if service not in planned and (case_number, service) not in booked:
                unmet[(line, service)] = unmet.get((line, service), 0) + 1
    lines = sorted({key[0] for key in needs})
    needs_table = deidentify.publish(needs, lines, list(SERVICE_TYPES), k=k)
    unmet_table = deidentify.publish(unmet, lines, list(SERVICE_TYPES), k=k)
    audit(
        uow,
        principal,
        "report.community_needs",
        "resource_report",
        community_code or region or "UA",
        k=k,
        cases=len(rows),
    )
    uow.commit()
    return needs_table, unmet_table, bool(answer.get("truncated"))
