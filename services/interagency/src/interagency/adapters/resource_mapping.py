"""Protobuf messages of the resource bank, donor cabinet and state reports, to domain objects and back."""

from ekm.cases.v1 import cases_pb2
from ekm.interagency.v1 import interagency_pb2 as pb
from ekm_platform.codes import CodeList
from ekm_platform.grpc_mapping import timestamp
from interagency.domain.deidentify import PublishedTable
from interagency.domain.resources import Booking, Eligibility, Match, Offer

SERVICE_TYPE = CodeList(cases_pb2.ServiceType)
VETERAN_STATUS = CodeList(cases_pb2.VeteranStatus)
OFFERER_KIND = CodeList(pb.OffererKind)


def eligibility_from(message: pb.Eligibility) -> Eligibility:
    return Eligibility(
        tuple(VETERAN_STATUS.code(n, f"#{n}") for n in message.veteran_statuses),
        tuple(b.strip() for b in message.age_bands),
        tuple(message.disability_groups),
        bool(message.disability_required),
    )


def create_arguments(request: pb.CreateOfferRequest) -> dict:
    return dict(
        offerer_kind=OFFERER_KIND.code(request.offerer_kind),
        offerer_name=request.offerer_name,
        title=request.title,
        description=request.description,
        service_type=SERVICE_TYPE.code(request.service_type),
        region=request.region,
        community_code=request.community_code,
        capacity=int(request.capacity),
        eligibility=eligibility_from(request.eligibility),
        valid_from=request.valid_from.strip(),
        valid_until=request.valid_until.strip(),
    )


def offer_message(offer: Offer) -> pb.ResourceOffer:
    e = offer.eligibility
    return pb.ResourceOffer(
        offer_id=offer.offer_id,
        offerer_kind=OFFERER_KIND.number(offer.offerer_kind),
        offerer_name=offer.offerer_name,
        title=offer.title,
        description=offer.description,
        service_type=SERVICE_TYPE.number(offer.service_type),
        region=offer.region,
        community_code=offer.community_code,
        capacity=offer.capacity,
        remaining=offer.remaining,
        eligibility=pb.Eligibility(
            veteran_statuses=[VETERAN_STATUS.number(s) for s in e.veteran_statuses],
            age_bands=list(e.age_bands),
            disability_groups=list(e.disability_groups),
            disability_required=e.disability_required,
        ),
        valid_from=offer.valid_from.isoformat(),
        valid_until=offer.valid_until.isoformat(),
        state=offer.state,
        created_at=timestamp(offer.created_at),
    )


def offers_message(offers: list[Offer]) -> pb.ListOffersResponse:
    return pb.ListOffersResponse(offers=[offer_message(o) for o in offers])


def match_message(profile, matches: list[Match]) -> pb.MatchResourcesResponse:
    needs = sorted({n.service_type for n in profile.needs})
    eligible = {m.need.service_type for m in matches if m.eligible}
    return pb.MatchResourcesResponse(
        case_number=profile.case_number,
        needs=[SERVICE_TYPE.number(n) for n in needs],
        matches=[
            pb.ResourceMatch(
                offer=offer_message(m.offer),
                need=SERVICE_TYPE.number(m.need.service_type),
                eligible=m.eligible,
                reasons=[pb.MatchReason(code=r.code, text=r.text, met=True) for r in m.reasons]
                + [pb.MatchReason(code=r.code, text=r.text, met=False) for r in m.missing],
            )
            for m in matches
        ],
        unmatched_needs=[SERVICE_TYPE.number(n) for n in needs if n not in eligible],
    )


def booking_message(booking: Booking, remaining: int = 0) -> pb.ResourceBooking:
    return pb.ResourceBooking(
        booking_id=booking.booking_id,
        offer_id=booking.offer_id,
        case_number=booking.case_number,
        service_type=SERVICE_TYPE.number(booking.service_type),
        state=booking.state,
        created_at=timestamp(booking.created_at),
        remaining=remaining,
    )


def table_message(table: PublishedTable) -> pb.DeidentifiedTable:
    return pb.DeidentifiedTable(
        column_labels=[c.label for c in table.columns],
        rows=[
            pb.ReportRow(
                label=row.label,
                total=table.row_totals[i],
                cells=[pb.ReportCell(suppressed=v is None, count=v or 0) for v in table.cells[i]],
            )
            for i, row in enumerate(table.rows)
        ],
        column_totals=list(table.column_totals),
        total=table.total,
        k=table.k,
        too_small=table.too_small,
    )
