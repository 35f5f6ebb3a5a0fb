"""Protobuf messages to domain objects and back."""

from ekm.registry.v1 import registry_pb2
from ekm_platform.grpc_mapping import timestamp
from registry_gateway.domain.lookup import Evidence, Query, RegistryAnswer, Status

STATUSES = {
    Status.OK: registry_pb2.REGISTRY_STATUS_OK,
    Status.NOT_FOUND: registry_pb2.REGISTRY_STATUS_NOT_FOUND,
    Status.UNAVAILABLE: registry_pb2.REGISTRY_STATUS_UNAVAILABLE,
    Status.DENIED: registry_pb2.REGISTRY_STATUS_DENIED,
    Status.NOT_APPLICABLE: registry_pb2.REGISTRY_STATUS_NOT_APPLICABLE,
}


def query_from(request: registry_pb2.LookupPersonRequest, user_id: str) -> Query:
    return Query(
        rnokpp=request.rnokpp.strip(),
        unzr=request.unzr.strip(),
        case_number=request.case_number.strip().upper(),
        purpose=request.purpose.strip(),
        user_id=user_id,
    )


def lookup_response(answers: list[RegistryAnswer]) -> registry_pb2.LookupPersonResponse:
    return registry_pb2.LookupPersonResponse(
        results=[
            registry_pb2.RegistryResult(
                registry=a.registry,
                status=STATUSES[a.status],
                message=a.message,
                query_id=a.evidence.query_id if a.evidence else "",
                from_cache=bool(a.evidence and a.evidence.from_cache),
                facts=[
                    registry_pb2.RegistryFact(
                        kind=f.kind,
                        occurred_on=f.occurred_on.isoformat(),
                        attributes={k: str(v) for k, v in f.attributes.items()},
                    )
                    for f in a.facts
                ],
            )
            for a in answers
        ]
    )


def evidence_message(e: Evidence) -> registry_pb2.Evidence:
    return registry_pb2.Evidence(
        query_id=e.query_id,
        registry=e.registry,
        xroad_id=e.xroad_id,
        user_id=e.user_id,
        issue=e.issue,
        purpose=e.purpose,
        response_sha256=e.response_sha256,
        requested_at=timestamp(e.requested_at),
        from_cache=e.from_cache,
        original_query_id=e.original_query_id,
        consent_id=e.consent_id,
    )
