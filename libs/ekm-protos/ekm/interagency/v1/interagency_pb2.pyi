import datetime

from ekm.cases.v1 import cases_pb2 as _cases_pb2
from ekm.common.v1 import labels_pb2 as _labels_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sector(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SECTOR_UNSPECIFIED: _ClassVar[Sector]
    SECTOR_HEALTH: _ClassVar[Sector]
    SECTOR_EDUCATION: _ClassVar[Sector]
    SECTOR_EMPLOYMENT: _ClassVar[Sector]
    SECTOR_BORDER_GUARD: _ClassVar[Sector]
    SECTOR_CHILD_SERVICES: _ClassVar[Sector]
    SECTOR_PROBATION: _ClassVar[Sector]
    SECTOR_HOUSING: _ClassVar[Sector]
    SECTOR_LEGAL_AID: _ClassVar[Sector]
    SECTOR_NGO: _ClassVar[Sector]

class ReferralState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_STATE_UNSPECIFIED: _ClassVar[ReferralState]
    REFERRAL_STATE_IN_PROGRESS: _ClassVar[ReferralState]
    REFERRAL_STATE_ACCEPTED: _ClassVar[ReferralState]
    REFERRAL_STATE_REJECTED: _ClassVar[ReferralState]
    REFERRAL_STATE_COMPLETED: _ClassVar[ReferralState]
    REFERRAL_STATE_REVOKED: _ClassVar[ReferralState]

class RejectionReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REJECTION_REASON_UNSPECIFIED: _ClassVar[RejectionReason]
    REJECTION_REASON_CLIENT_REFUSED: _ClassVar[RejectionReason]
    REJECTION_REASON_NO_CAPACITY: _ClassVar[RejectionReason]
    REJECTION_REASON_NOT_ELIGIBLE: _ClassVar[RejectionReason]
    REJECTION_REASON_OUT_OF_AREA: _ClassVar[RejectionReason]
    REJECTION_REASON_UNABLE_TO_CONTACT: _ClassVar[RejectionReason]
    REJECTION_REASON_DUPLICATE: _ClassVar[RejectionReason]
    REJECTION_REASON_OTHER: _ClassVar[RejectionReason]

class OffererKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OFFERER_KIND_UNSPECIFIED: _ClassVar[OffererKind]
    OFFERER_KIND_COMMUNITY: _ClassVar[OffererKind]
    OFFERER_KIND_PROVIDER: _ClassVar[OffererKind]
    OFFERER_KIND_DONOR: _ClassVar[OffererKind]
    OFFERER_KIND_NGO: _ClassVar[OffererKind]
SECTOR_UNSPECIFIED: Sector
SECTOR_HEALTH: Sector
SECTOR_EDUCATION: Sector
SECTOR_EMPLOYMENT: Sector
SECTOR_BORDER_GUARD: Sector
SECTOR_CHILD_SERVICES: Sector
SECTOR_PROBATION: Sector
SECTOR_HOUSING: Sector
SECTOR_LEGAL_AID: Sector
SECTOR_NGO: Sector
REFERRAL_STATE_UNSPECIFIED: ReferralState
REFERRAL_STATE_IN_PROGRESS: ReferralState
REFERRAL_STATE_ACCEPTED: ReferralState
REFERRAL_STATE_REJECTED: ReferralState
REFERRAL_STATE_COMPLETED: ReferralState
REFERRAL_STATE_REVOKED: ReferralState
REJECTION_REASON_UNSPECIFIED: RejectionReason
REJECTION_REASON_CLIENT_REFUSED: RejectionReason
REJECTION_REASON_NO_CAPACITY: RejectionReason
REJECTION_REASON_NOT_ELIGIBLE: RejectionReason
REJECTION_REASON_OUT_OF_AREA: RejectionReason
REJECTION_REASON_UNABLE_TO_CONTACT: RejectionReason
REJECTION_REASON_DUPLICATE: RejectionReason
REJECTION_REASON_OTHER: RejectionReason
OFFERER_KIND_UNSPECIFIED: OffererKind
OFFERER_KIND_COMMUNITY: OffererKind
OFFERER_KIND_PROVIDER: OffererKind
OFFERER_KIND_DONOR: OffererKind
OFFERER_KIND_NGO: OffererKind

class CreateReferralRequest(_message.Message):
    __slots__ = ("case_number", "sector", "agency_code", "reason", "client_request_id", "action", "complete_by")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SECTOR_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CLIENT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_BY_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    sector: Sector
    agency_code: str
    reason: str
    client_request_id: str
    action: str
    complete_by: str
    def __init__(self, case_number: _Optional[str] = ..., sector: _Optional[_Union[Sector, str]] = ..., agency_code: _Optional[str] = ..., reason: _Optional[str] = ..., client_request_id: _Optional[str] = ..., action: _Optional[str] = ..., complete_by: _Optional[str] = ...) -> None: ...

class GetReferralRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class Referral(_message.Message):
    __slots__ = ("referral_id", "case_number", "sector", "agency_code", "state", "created_at", "need", "action", "respond_by", "complete_by", "overdue", "updated_at", "rejection_reason", "outcome", "success", "created_by", "version")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SECTOR_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    NEED_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    RESPOND_BY_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_BY_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    case_number: str
    sector: Sector
    agency_code: str
    state: ReferralState
    created_at: _timestamp_pb2.Timestamp
    need: str
    action: str
    respond_by: _timestamp_pb2.Timestamp
    complete_by: str
    overdue: bool
    updated_at: _timestamp_pb2.Timestamp
    rejection_reason: RejectionReason
    outcome: str
    success: bool
    created_by: str
    version: int
    def __init__(self, referral_id: _Optional[str] = ..., case_number: _Optional[str] = ..., sector: _Optional[_Union[Sector, str]] = ..., agency_code: _Optional[str] = ..., state: _Optional[_Union[ReferralState, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., need: _Optional[str] = ..., action: _Optional[str] = ..., respond_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., complete_by: _Optional[str] = ..., overdue: _Optional[bool] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rejection_reason: _Optional[_Union[RejectionReason, str]] = ..., outcome: _Optional[str] = ..., success: _Optional[bool] = ..., created_by: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class Agency(_message.Message):
    __slots__ = ("agency_code", "name", "sector", "community_code", "phone", "email")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SECTOR_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    name: str
    sector: Sector
    community_code: str
    phone: str
    email: str
    def __init__(self, agency_code: _Optional[str] = ..., name: _Optional[str] = ..., sector: _Optional[_Union[Sector, str]] = ..., community_code: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class ListAgenciesRequest(_message.Message):
    __slots__ = ("sector", "community_code")
    SECTOR_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    sector: Sector
    community_code: str
    def __init__(self, sector: _Optional[_Union[Sector, str]] = ..., community_code: _Optional[str] = ...) -> None: ...

class ListAgenciesResponse(_message.Message):
    __slots__ = ("agencies",)
    AGENCIES_FIELD_NUMBER: _ClassVar[int]
    agencies: _containers.RepeatedCompositeFieldContainer[Agency]
    def __init__(self, agencies: _Optional[_Iterable[_Union[Agency, _Mapping]]] = ...) -> None: ...

class ReferralTransition(_message.Message):
    __slots__ = ("from_state", "to_state", "at", "by_user", "by_role", "by_organisation", "reason", "note")
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BY_USER_FIELD_NUMBER: _ClassVar[int]
    BY_ROLE_FIELD_NUMBER: _ClassVar[int]
    BY_ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    from_state: ReferralState
    to_state: ReferralState
    at: _timestamp_pb2.Timestamp
    by_user: str
    by_role: str
    by_organisation: str
    reason: RejectionReason
    note: str
    def __init__(self, from_state: _Optional[_Union[ReferralState, str]] = ..., to_state: _Optional[_Union[ReferralState, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., by_user: _Optional[str] = ..., by_role: _Optional[str] = ..., by_organisation: _Optional[str] = ..., reason: _Optional[_Union[RejectionReason, str]] = ..., note: _Optional[str] = ...) -> None: ...

class SharedPerson(_message.Message):
    __slots__ = ("consent_id", "data_categories", "last_name", "first_name", "patronymic", "phone", "rnokpp", "unzr", "birth_date", "email", "address", "disability_group", "veteran_statuses", "health_need_level", "mental_health_need_level", "housing_need_level", "household", "case_stage", "fields")
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    PATRONYMIC_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    RNOKPP_FIELD_NUMBER: _ClassVar[int]
    UNZR_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_GROUP_FIELD_NUMBER: _ClassVar[int]
    VETERAN_STATUSES_FIELD_NUMBER: _ClassVar[int]
    HEALTH_NEED_LEVEL_FIELD_NUMBER: _ClassVar[int]
    MENTAL_HEALTH_NEED_LEVEL_FIELD_NUMBER: _ClassVar[int]
    HOUSING_NEED_LEVEL_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_FIELD_NUMBER: _ClassVar[int]
    CASE_STAGE_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    data_categories: _containers.RepeatedScalarFieldContainer[str]
    last_name: str
    first_name: str
    patronymic: str
    phone: str
    rnokpp: str
    unzr: str
    birth_date: str
    email: str
    address: str
    disability_group: int
    veteran_statuses: _containers.RepeatedScalarFieldContainer[str]
    health_need_level: int
    mental_health_need_level: int
    housing_need_level: int
    household: _containers.RepeatedCompositeFieldContainer[HouseholdMember]
    case_stage: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, consent_id: _Optional[str] = ..., data_categories: _Optional[_Iterable[str]] = ..., last_name: _Optional[str] = ..., first_name: _Optional[str] = ..., patronymic: _Optional[str] = ..., phone: _Optional[str] = ..., rnokpp: _Optional[str] = ..., unzr: _Optional[str] = ..., birth_date: _Optional[str] = ..., email: _Optional[str] = ..., address: _Optional[str] = ..., disability_group: _Optional[int] = ..., veteran_statuses: _Optional[_Iterable[str]] = ..., health_need_level: _Optional[int] = ..., mental_health_need_level: _Optional[int] = ..., housing_need_level: _Optional[int] = ..., household: _Optional[_Iterable[_Union[HouseholdMember, _Mapping]]] = ..., case_stage: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ...) -> None: ...

class HouseholdMember(_message.Message):
    __slots__ = ("full_name", "relation", "birth_date")
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    full_name: str
    relation: str
    birth_date: str
    def __init__(self, full_name: _Optional[str] = ..., relation: _Optional[str] = ..., birth_date: _Optional[str] = ...) -> None: ...

class ReferralDetails(_message.Message):
    __slots__ = ("referral", "transitions", "person")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    TRANSITIONS_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    referral: Referral
    transitions: _containers.RepeatedCompositeFieldContainer[ReferralTransition]
    person: SharedPerson
    def __init__(self, referral: _Optional[_Union[Referral, _Mapping]] = ..., transitions: _Optional[_Iterable[_Union[ReferralTransition, _Mapping]]] = ..., person: _Optional[_Union[SharedPerson, _Mapping]] = ...) -> None: ...

class ListReferralsRequest(_message.Message):
    __slots__ = ("case_number", "states", "page_size", "page_token")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    states: _containers.RepeatedScalarFieldContainer[ReferralState]
    page_size: int
    page_token: str
    def __init__(self, case_number: _Optional[str] = ..., states: _Optional[_Iterable[_Union[ReferralState, str]]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReferralsResponse(_message.Message):
    __slots__ = ("referrals", "next_page_token")
    REFERRALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    referrals: _containers.RepeatedCompositeFieldContainer[Referral]
    next_page_token: str
    def __init__(self, referrals: _Optional[_Iterable[_Union[Referral, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AcceptReferralRequest(_message.Message):
    __slots__ = ("referral_id", "note")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    note: str
    def __init__(self, referral_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RejectReferralRequest(_message.Message):
    __slots__ = ("referral_id", "reason", "note")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    reason: RejectionReason
    note: str
    def __init__(self, referral_id: _Optional[str] = ..., reason: _Optional[_Union[RejectionReason, str]] = ..., note: _Optional[str] = ...) -> None: ...

class CompleteReferralRequest(_message.Message):
    __slots__ = ("referral_id", "outcome", "success")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    outcome: str
    success: bool
    def __init__(self, referral_id: _Optional[str] = ..., outcome: _Optional[str] = ..., success: _Optional[bool] = ...) -> None: ...

class RevokeReferralRequest(_message.Message):
    __slots__ = ("referral_id", "reason")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    reason: str
    def __init__(self, referral_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class FhirDocument(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: str
    def __init__(self, json: _Optional[str] = ...) -> None: ...

class ConferenceParticipant(_message.Message):
    __slots__ = ("agency_code", "user_id", "role")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    user_id: str
    role: str
    def __init__(self, agency_code: _Optional[str] = ..., user_id: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class ConferenceDecision(_message.Message):
    __slots__ = ("text", "goal_id", "responsible_kind", "responsible_ref", "due_on", "step_id", "done_at")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    GOAL_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_KIND_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_REF_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    DONE_AT_FIELD_NUMBER: _ClassVar[int]
    text: str
    goal_id: str
    responsible_kind: str
    responsible_ref: str
    due_on: str
    step_id: str
    done_at: _timestamp_pb2.Timestamp
    def __init__(self, text: _Optional[str] = ..., goal_id: _Optional[str] = ..., responsible_kind: _Optional[str] = ..., responsible_ref: _Optional[str] = ..., due_on: _Optional[str] = ..., step_id: _Optional[str] = ..., done_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Conference(_message.Message):
    __slots__ = ("conference_id", "case_number", "scheduled_at", "agenda", "participants", "organised_by", "status", "decisions", "concluded_at", "plan_version")
    CONFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_AT_FIELD_NUMBER: _ClassVar[int]
    AGENDA_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANTS_FIELD_NUMBER: _ClassVar[int]
    ORGANISED_BY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    CONCLUDED_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    conference_id: str
    case_number: str
    scheduled_at: _timestamp_pb2.Timestamp
    agenda: _containers.RepeatedScalarFieldContainer[str]
    participants: _containers.RepeatedCompositeFieldContainer[ConferenceParticipant]
    organised_by: str
    status: str
    decisions: _containers.RepeatedCompositeFieldContainer[ConferenceDecision]
    concluded_at: _timestamp_pb2.Timestamp
    plan_version: int
    def __init__(self, conference_id: _Optional[str] = ..., case_number: _Optional[str] = ..., scheduled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., agenda: _Optional[_Iterable[str]] = ..., participants: _Optional[_Iterable[_Union[ConferenceParticipant, _Mapping]]] = ..., organised_by: _Optional[str] = ..., status: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[ConferenceDecision, _Mapping]]] = ..., concluded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., plan_version: _Optional[int] = ...) -> None: ...

class CreateConferenceRequest(_message.Message):
    __slots__ = ("case_number", "scheduled_at", "agenda", "participants")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_AT_FIELD_NUMBER: _ClassVar[int]
    AGENDA_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANTS_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    scheduled_at: _timestamp_pb2.Timestamp
    agenda: _containers.RepeatedScalarFieldContainer[str]
    participants: _containers.RepeatedCompositeFieldContainer[ConferenceParticipant]
    def __init__(self, case_number: _Optional[str] = ..., scheduled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., agenda: _Optional[_Iterable[str]] = ..., participants: _Optional[_Iterable[_Union[ConferenceParticipant, _Mapping]]] = ...) -> None: ...

class GetConferenceRequest(_message.Message):
    __slots__ = ("conference_id",)
    CONFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    conference_id: str
    def __init__(self, conference_id: _Optional[str] = ...) -> None: ...

class ListConferencesRequest(_message.Message):
    __slots__ = ("case_number",)
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    def __init__(self, case_number: _Optional[str] = ...) -> None: ...

class ListConferencesResponse(_message.Message):
    __slots__ = ("conferences",)
    CONFERENCES_FIELD_NUMBER: _ClassVar[int]
    conferences: _containers.RepeatedCompositeFieldContainer[Conference]
    def __init__(self, conferences: _Optional[_Iterable[_Union[Conference, _Mapping]]] = ...) -> None: ...

class ConcludeConferenceRequest(_message.Message):
    __slots__ = ("conference_id", "decisions")
    CONFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    conference_id: str
    decisions: _containers.RepeatedCompositeFieldContainer[ConferenceDecision]
    def __init__(self, conference_id: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[ConferenceDecision, _Mapping]]] = ...) -> None: ...

class ListAgencyTasksRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AgencyTask(_message.Message):
    __slots__ = ("conference_id", "case_number", "decision")
    CONFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    conference_id: str
    case_number: str
    decision: ConferenceDecision
    def __init__(self, conference_id: _Optional[str] = ..., case_number: _Optional[str] = ..., decision: _Optional[_Union[ConferenceDecision, _Mapping]] = ...) -> None: ...

class ListAgencyTasksResponse(_message.Message):
    __slots__ = ("tasks",)
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[AgencyTask]
    def __init__(self, tasks: _Optional[_Iterable[_Union[AgencyTask, _Mapping]]] = ...) -> None: ...

class CompleteAgencyTaskRequest(_message.Message):
    __slots__ = ("conference_id", "step_id")
    CONFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    conference_id: str
    step_id: str
    def __init__(self, conference_id: _Optional[str] = ..., step_id: _Optional[str] = ...) -> None: ...

class Eligibility(_message.Message):
    __slots__ = ("veteran_statuses", "age_bands", "disability_groups", "disability_required")
    VETERAN_STATUSES_FIELD_NUMBER: _ClassVar[int]
    AGE_BANDS_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_GROUPS_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    veteran_statuses: _containers.RepeatedScalarFieldContainer[_cases_pb2.VeteranStatus]
    age_bands: _containers.RepeatedScalarFieldContainer[str]
    disability_groups: _containers.RepeatedScalarFieldContainer[int]
    disability_required: bool
    def __init__(self, veteran_statuses: _Optional[_Iterable[_Union[_cases_pb2.VeteranStatus, str]]] = ..., age_bands: _Optional[_Iterable[str]] = ..., disability_groups: _Optional[_Iterable[int]] = ..., disability_required: _Optional[bool] = ...) -> None: ...

class ResourceOffer(_message.Message):
    __slots__ = ("offer_id", "offerer_kind", "offerer_name", "title", "description", "service_type", "region", "community_code", "capacity", "remaining", "eligibility", "valid_from", "valid_until", "state", "created_at")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    OFFERER_KIND_FIELD_NUMBER: _ClassVar[int]
    OFFERER_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    ELIGIBILITY_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    offerer_kind: OffererKind
    offerer_name: str
    title: str
    description: str
    service_type: _cases_pb2.ServiceType
    region: str
    community_code: str
    capacity: int
    remaining: int
    eligibility: Eligibility
    valid_from: str
    valid_until: str
    state: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, offer_id: _Optional[str] = ..., offerer_kind: _Optional[_Union[OffererKind, str]] = ..., offerer_name: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., service_type: _Optional[_Union[_cases_pb2.ServiceType, str]] = ..., region: _Optional[str] = ..., community_code: _Optional[str] = ..., capacity: _Optional[int] = ..., remaining: _Optional[int] = ..., eligibility: _Optional[_Union[Eligibility, _Mapping]] = ..., valid_from: _Optional[str] = ..., valid_until: _Optional[str] = ..., state: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateOfferRequest(_message.Message):
    __slots__ = ("offerer_kind", "offerer_name", "title", "description", "service_type", "region", "community_code", "capacity", "eligibility", "valid_from", "valid_until")
    OFFERER_KIND_FIELD_NUMBER: _ClassVar[int]
    OFFERER_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    ELIGIBILITY_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    offerer_kind: OffererKind
    offerer_name: str
    title: str
    description: str
    service_type: _cases_pb2.ServiceType
    region: str
    community_code: str
    capacity: int
    eligibility: Eligibility
    valid_from: str
    valid_until: str
    def __init__(self, offerer_kind: _Optional[_Union[OffererKind, str]] = ..., offerer_name: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., service_type: _Optional[_Union[_cases_pb2.ServiceType, str]] = ..., region: _Optional[str] = ..., community_code: _Optional[str] = ..., capacity: _Optional[int] = ..., eligibility: _Optional[_Union[Eligibility, _Mapping]] = ..., valid_from: _Optional[str] = ..., valid_until: _Optional[str] = ...) -> None: ...

class GetOfferRequest(_message.Message):
    __slots__ = ("offer_id",)
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    def __init__(self, offer_id: _Optional[str] = ...) -> None: ...

class ListOffersRequest(_message.Message):
    __slots__ = ("service_type", "region", "active_only")
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_ONLY_FIELD_NUMBER: _ClassVar[int]
    service_type: _cases_pb2.ServiceType
    region: str
    active_only: bool
    def __init__(self, service_type: _Optional[_Union[_cases_pb2.ServiceType, str]] = ..., region: _Optional[str] = ..., active_only: _Optional[bool] = ...) -> None: ...

class ListOffersResponse(_message.Message):
    __slots__ = ("offers",)
    OFFERS_FIELD_NUMBER: _ClassVar[int]
    offers: _containers.RepeatedCompositeFieldContainer[ResourceOffer]
    def __init__(self, offers: _Optional[_Iterable[_Union[ResourceOffer, _Mapping]]] = ...) -> None: ...

class MatchResourcesRequest(_message.Message):
    __slots__ = ("case_number",)
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    def __init__(self, case_number: _Optional[str] = ...) -> None: ...

class MatchReason(_message.Message):
    __slots__ = ("code", "text", "met")
    CODE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    MET_FIELD_NUMBER: _ClassVar[int]
    code: str
    text: str
    met: bool
    def __init__(self, code: _Optional[str] = ..., text: _Optional[str] = ..., met: _Optional[bool] = ...) -> None: ...

class ResourceMatch(_message.Message):
    __slots__ = ("offer", "need", "eligible", "reasons")
    OFFER_FIELD_NUMBER: _ClassVar[int]
    NEED_FIELD_NUMBER: _ClassVar[int]
    ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    offer: ResourceOffer
    need: _cases_pb2.ServiceType
    eligible: bool
    reasons: _containers.RepeatedCompositeFieldContainer[MatchReason]
    def __init__(self, offer: _Optional[_Union[ResourceOffer, _Mapping]] = ..., need: _Optional[_Union[_cases_pb2.ServiceType, str]] = ..., eligible: _Optional[bool] = ..., reasons: _Optional[_Iterable[_Union[MatchReason, _Mapping]]] = ...) -> None: ...

class MatchResourcesResponse(_message.Message):
    __slots__ = ("case_number", "needs", "matches", "unmatched_needs")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    UNMATCHED_NEEDS_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    needs: _containers.RepeatedScalarFieldContainer[_cases_pb2.ServiceType]
    matches: _containers.RepeatedCompositeFieldContainer[ResourceMatch]
    unmatched_needs: _containers.RepeatedScalarFieldContainer[_cases_pb2.ServiceType]
    def __init__(self, case_number: _Optional[str] = ..., needs: _Optional[_Iterable[_Union[_cases_pb2.ServiceType, str]]] = ..., matches: _Optional[_Iterable[_Union[ResourceMatch, _Mapping]]] = ..., unmatched_needs: _Optional[_Iterable[_Union[_cases_pb2.ServiceType, str]]] = ...) -> None: ...

class BookResourceRequest(_message.Message):
    __slots__ = ("offer_id", "case_number", "client_request_id")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CLIENT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    case_number: str
    client_request_id: str
    def __init__(self, offer_id: _Optional[str] = ..., case_number: _Optional[str] = ..., client_request_id: _Optional[str] = ...) -> None: ...

class ResourceBooking(_message.Message):
    __slots__ = ("booking_id", "offer_id", "case_number", "service_type", "state", "created_at", "remaining")
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    offer_id: str
    case_number: str
    service_type: _cases_pb2.ServiceType
    state: str
    created_at: _timestamp_pb2.Timestamp
    remaining: int
    def __init__(self, booking_id: _Optional[str] = ..., offer_id: _Optional[str] = ..., case_number: _Optional[str] = ..., service_type: _Optional[_Union[_cases_pb2.ServiceType, str]] = ..., state: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., remaining: _Optional[int] = ...) -> None: ...

class CancelBookingRequest(_message.Message):
    __slots__ = ("booking_id",)
    BOOKING_ID_FIELD_NUMBER: _ClassVar[int]
    booking_id: str
    def __init__(self, booking_id: _Optional[str] = ...) -> None: ...

class ReportCell(_message.Message):
    __slots__ = ("suppressed", "count")
    SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    suppressed: bool
    count: int
    def __init__(self, suppressed: _Optional[bool] = ..., count: _Optional[int] = ...) -> None: ...

class ReportRow(_message.Message):
    __slots__ = ("label", "cells", "total")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    CELLS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    label: str
    cells: _containers.RepeatedCompositeFieldContainer[ReportCell]
    total: int
    def __init__(self, label: _Optional[str] = ..., cells: _Optional[_Iterable[_Union[ReportCell, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class DeidentifiedTable(_message.Message):
    __slots__ = ("column_labels", "rows", "column_totals", "total", "k", "too_small")
    COLUMN_LABELS_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    COLUMN_TOTALS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    K_FIELD_NUMBER: _ClassVar[int]
    TOO_SMALL_FIELD_NUMBER: _ClassVar[int]
    column_labels: _containers.RepeatedScalarFieldContainer[str]
    rows: _containers.RepeatedCompositeFieldContainer[ReportRow]
    column_totals: _containers.RepeatedScalarFieldContainer[int]
    total: int
    k: int
    too_small: bool
    def __init__(self, column_labels: _Optional[_Iterable[str]] = ..., rows: _Optional[_Iterable[_Union[ReportRow, _Mapping]]] = ..., column_totals: _Optional[_Iterable[int]] = ..., total: _Optional[int] = ..., k: _Optional[int] = ..., too_small: _Optional[bool] = ...) -> None: ...

class GetDonorReportRequest(_message.Message):
    __slots__ = ("offer_id", "k")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    K_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    k: int
    def __init__(self, offer_id: _Optional[str] = ..., k: _Optional[int] = ...) -> None: ...

class DonorReport(_message.Message):
    __slots__ = ("recipients", "offers")
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    OFFERS_FIELD_NUMBER: _ClassVar[int]
    recipients: DeidentifiedTable
    offers: int
    def __init__(self, recipients: _Optional[_Union[DeidentifiedTable, _Mapping]] = ..., offers: _Optional[int] = ...) -> None: ...

class GetCommunityNeedsReportRequest(_message.Message):
    __slots__ = ("region", "community_code", "k")
    REGION_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    K_FIELD_NUMBER: _ClassVar[int]
    region: str
    community_code: str
    k: int
    def __init__(self, region: _Optional[str] = ..., community_code: _Optional[str] = ..., k: _Optional[int] = ...) -> None: ...

class CommunityNeedsReport(_message.Message):
    __slots__ = ("needs", "unmet", "truncated")
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    UNMET_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    needs: DeidentifiedTable
    unmet: DeidentifiedTable
    truncated: bool
    def __init__(self, needs: _Optional[_Union[DeidentifiedTable, _Mapping]] = ..., unmet: _Optional[_Union[DeidentifiedTable, _Mapping]] = ..., truncated: _Optional[bool] = ...) -> None: ...

class InboundPerson(_message.Message):
    __slots__ = ("rnokpp", "unzr", "last_name", "first_name", "patronymic", "birth_date")
    RNOKPP_FIELD_NUMBER: _ClassVar[int]
    UNZR_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    PATRONYMIC_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    rnokpp: str
    unzr: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: str
    def __init__(self, rnokpp: _Optional[str] = ..., unzr: _Optional[str] = ..., last_name: _Optional[str] = ..., first_name: _Optional[str] = ..., patronymic: _Optional[str] = ..., birth_date: _Optional[str] = ...) -> None: ...

class ReferToSocialServicesRequest(_message.Message):
    __slots__ = ("referral_number", "person", "phone", "email", "description", "urgent", "community_code", "consent_to_processing")
    REFERRAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    URGENT_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_TO_PROCESSING_FIELD_NUMBER: _ClassVar[int]
    referral_number: str
    person: InboundPerson
    phone: str
    email: str
    description: str
    urgent: bool
    community_code: str
    consent_to_processing: bool
    def __init__(self, referral_number: _Optional[str] = ..., person: _Optional[_Union[InboundPerson, _Mapping]] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., description: _Optional[str] = ..., urgent: _Optional[bool] = ..., community_code: _Optional[str] = ..., consent_to_processing: _Optional[bool] = ...) -> None: ...

class ReferToSocialServicesResponse(_message.Message):
    __slots__ = ("tracking_number", "appeal_id", "screening_level", "state")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    appeal_id: str
    screening_level: str
    state: str
    def __init__(self, tracking_number: _Optional[str] = ..., appeal_id: _Optional[str] = ..., screening_level: _Optional[str] = ..., state: _Optional[str] = ...) -> None: ...
