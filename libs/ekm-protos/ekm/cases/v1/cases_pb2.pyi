import datetime

from ekm.common.v1 import common_pb2 as _common_pb2
from ekm.common.v1 import labels_pb2 as _labels_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Stage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STAGE_UNSPECIFIED: _ClassVar[Stage]
    STAGE_SCREENING: _ClassVar[Stage]
    STAGE_ASSESSMENT: _ClassVar[Stage]
    STAGE_PLANNING: _ClassVar[Stage]
    STAGE_IMPLEMENTATION: _ClassVar[Stage]
    STAGE_MONITORING: _ClassVar[Stage]
    STAGE_REVIEW: _ClassVar[Stage]
    STAGE_CLOSED: _ClassVar[Stage]

class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTCOME_UNSPECIFIED: _ClassVar[Outcome]
    OUTCOME_RESOLVED: _ClassVar[Outcome]
    OUTCOME_MINIMISED: _ClassVar[Outcome]
    OUTCOME_TRANSFERRED: _ClassVar[Outcome]
    OUTCOME_REFUSED: _ClassVar[Outcome]
    OUTCOME_MOVED: _ClassVar[Outcome]
    OUTCOME_DECEASED: _ClassVar[Outcome]

class Relation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RELATION_UNSPECIFIED: _ClassVar[Relation]
    RELATION_SELF: _ClassVar[Relation]
    RELATION_SPOUSE: _ClassVar[Relation]
    RELATION_CHILD: _ClassVar[Relation]
    RELATION_PARENT: _ClassVar[Relation]
    RELATION_SIBLING: _ClassVar[Relation]
    RELATION_GRANDPARENT: _ClassVar[Relation]
    RELATION_GRANDCHILD: _ClassVar[Relation]
    RELATION_GUARDIAN: _ClassVar[Relation]
    RELATION_PARTNER: _ClassVar[Relation]
    RELATION_OTHER: _ClassVar[Relation]

class LegalCapacity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEGAL_CAPACITY_UNSPECIFIED: _ClassVar[LegalCapacity]
    LEGAL_CAPACITY_FULL: _ClassVar[LegalCapacity]
    LEGAL_CAPACITY_INCOMPLETE: _ClassVar[LegalCapacity]
    LEGAL_CAPACITY_PARTIAL: _ClassVar[LegalCapacity]
    LEGAL_CAPACITY_LIMITED: _ClassVar[LegalCapacity]
    LEGAL_CAPACITY_NONE: _ClassVar[LegalCapacity]

class GoalResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GOAL_RESULT_UNSPECIFIED: _ClassVar[GoalResult]
    GOAL_RESULT_ACHIEVED: _ClassVar[GoalResult]
    GOAL_RESULT_PARTLY: _ClassVar[GoalResult]
    GOAL_RESULT_NOT_ACHIEVED: _ClassVar[GoalResult]

class ResponsibleKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESPONSIBLE_KIND_UNSPECIFIED: _ClassVar[ResponsibleKind]
    RESPONSIBLE_KIND_PERSON: _ClassVar[ResponsibleKind]
    RESPONSIBLE_KIND_CASE_MANAGER: _ClassVar[ResponsibleKind]
    RESPONSIBLE_KIND_AGENCY: _ClassVar[ResponsibleKind]
    RESPONSIBLE_KIND_PROVIDER: _ClassVar[ResponsibleKind]

class ServiceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVICE_TYPE_UNSPECIFIED: _ClassVar[ServiceType]
    SERVICE_TYPE_CONSULTATION: _ClassVar[ServiceType]
    SERVICE_TYPE_REPRESENTATION_OF_INTERESTS: _ClassVar[ServiceType]
    SERVICE_TYPE_HOME_CARE: _ClassVar[ServiceType]
    SERVICE_TYPE_IN_KIND_HELP: _ClassVar[ServiceType]
    SERVICE_TYPE_SOCIAL_SUPPORT_OF_FAMILIES: _ClassVar[ServiceType]
    SERVICE_TYPE_SOCIAL_ADAPTATION: _ClassVar[ServiceType]
    SERVICE_TYPE_CRISIS_INTERVENTION: _ClassVar[ServiceType]
    SERVICE_TYPE_REHABILITATION: _ClassVar[ServiceType]
    SERVICE_TYPE_PROSTHETICS_AND_ASSISTIVE_DEVICES: _ClassVar[ServiceType]
    SERVICE_TYPE_PAYMENTS: _ClassVar[ServiceType]

class FeeCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FEE_CATEGORY_UNSPECIFIED: _ClassVar[FeeCategory]
    FEE_CATEGORY_COMBATANT: _ClassVar[FeeCategory]
    FEE_CATEGORY_DISABLED_DUE_TO_WAR: _ClassVar[FeeCategory]
    FEE_CATEGORY_FAMILY_OF_FALLEN_DEFENDER: _ClassVar[FeeCategory]
    FEE_CATEGORY_RELEASED_FROM_CAPTIVITY: _ClassVar[FeeCategory]
    FEE_CATEGORY_CHILD: _ClassVar[FeeCategory]

class VeteranStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VETERAN_STATUS_UNSPECIFIED: _ClassVar[VeteranStatus]
    VETERAN_STATUS_COMBATANT: _ClassVar[VeteranStatus]
    VETERAN_STATUS_WOUNDED: _ClassVar[VeteranStatus]
    VETERAN_STATUS_RETURNED_FROM_SERVICE: _ClassVar[VeteranStatus]
    VETERAN_STATUS_RELEASED_FROM_CAPTIVITY: _ClassVar[VeteranStatus]
    VETERAN_STATUS_DISABLED_DUE_TO_WAR: _ClassVar[VeteranStatus]
    VETERAN_STATUS_FAMILY_OF_FALLEN_DEFENDER: _ClassVar[VeteranStatus]

class ConsentPurpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_PURPOSE_UNSPECIFIED: _ClassVar[ConsentPurpose]
    CONSENT_PURPOSE_REGISTRY_LOOKUP: _ClassVar[ConsentPurpose]
    CONSENT_PURPOSE_TRANSFER: _ClassVar[ConsentPurpose]
    CONSENT_PURPOSE_REFERRAL: _ClassVar[ConsentPurpose]

class ConsentMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_METHOD_UNSPECIFIED: _ClassVar[ConsentMethod]
    CONSENT_METHOD_WRITTEN: _ClassVar[ConsentMethod]
    CONSENT_METHOD_ORAL: _ClassVar[ConsentMethod]
    CONSENT_METHOD_ELECTRONIC_CABINET: _ClassVar[ConsentMethod]
    CONSENT_METHOD_DIIA: _ClassVar[ConsentMethod]

class ConsentGiver(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_GIVER_UNSPECIFIED: _ClassVar[ConsentGiver]
    CONSENT_GIVER_PERSON: _ClassVar[ConsentGiver]
    CONSENT_GIVER_LEGAL_REPRESENTATIVE: _ClassVar[ConsentGiver]

class ConsentState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_STATE_UNSPECIFIED: _ClassVar[ConsentState]
    CONSENT_STATE_ACTIVE: _ClassVar[ConsentState]
    CONSENT_STATE_EXPIRED: _ClassVar[ConsentState]
    CONSENT_STATE_WITHDRAWN: _ClassVar[ConsentState]
STAGE_UNSPECIFIED: Stage
STAGE_SCREENING: Stage
STAGE_ASSESSMENT: Stage
STAGE_PLANNING: Stage
STAGE_IMPLEMENTATION: Stage
STAGE_MONITORING: Stage
STAGE_REVIEW: Stage
STAGE_CLOSED: Stage
OUTCOME_UNSPECIFIED: Outcome
OUTCOME_RESOLVED: Outcome
OUTCOME_MINIMISED: Outcome
OUTCOME_TRANSFERRED: Outcome
OUTCOME_REFUSED: Outcome
OUTCOME_MOVED: Outcome
OUTCOME_DECEASED: Outcome
RELATION_UNSPECIFIED: Relation
RELATION_SELF: Relation
RELATION_SPOUSE: Relation
RELATION_CHILD: Relation
RELATION_PARENT: Relation
RELATION_SIBLING: Relation
RELATION_GRANDPARENT: Relation
RELATION_GRANDCHILD: Relation
RELATION_GUARDIAN: Relation
RELATION_PARTNER: Relation
RELATION_OTHER: Relation
LEGAL_CAPACITY_UNSPECIFIED: LegalCapacity
LEGAL_CAPACITY_FULL: LegalCapacity
LEGAL_CAPACITY_INCOMPLETE: LegalCapacity
LEGAL_CAPACITY_PARTIAL: LegalCapacity
LEGAL_CAPACITY_LIMITED: LegalCapacity
LEGAL_CAPACITY_NONE: LegalCapacity
GOAL_RESULT_UNSPECIFIED: GoalResult
GOAL_RESULT_ACHIEVED: GoalResult
GOAL_RESULT_PARTLY: GoalResult
GOAL_RESULT_NOT_ACHIEVED: GoalResult
RESPONSIBLE_KIND_UNSPECIFIED: ResponsibleKind
RESPONSIBLE_KIND_PERSON: ResponsibleKind
RESPONSIBLE_KIND_CASE_MANAGER: ResponsibleKind
RESPONSIBLE_KIND_AGENCY: ResponsibleKind
RESPONSIBLE_KIND_PROVIDER: ResponsibleKind
SERVICE_TYPE_UNSPECIFIED: ServiceType
SERVICE_TYPE_CONSULTATION: ServiceType
SERVICE_TYPE_REPRESENTATION_OF_INTERESTS: ServiceType
SERVICE_TYPE_HOME_CARE: ServiceType
SERVICE_TYPE_IN_KIND_HELP: ServiceType
SERVICE_TYPE_SOCIAL_SUPPORT_OF_FAMILIES: ServiceType
SERVICE_TYPE_SOCIAL_ADAPTATION: ServiceType
SERVICE_TYPE_CRISIS_INTERVENTION: ServiceType
SERVICE_TYPE_REHABILITATION: ServiceType
SERVICE_TYPE_PROSTHETICS_AND_ASSISTIVE_DEVICES: ServiceType
SERVICE_TYPE_PAYMENTS: ServiceType
FEE_CATEGORY_UNSPECIFIED: FeeCategory
FEE_CATEGORY_COMBATANT: FeeCategory
FEE_CATEGORY_DISABLED_DUE_TO_WAR: FeeCategory
FEE_CATEGORY_FAMILY_OF_FALLEN_DEFENDER: FeeCategory
FEE_CATEGORY_RELEASED_FROM_CAPTIVITY: FeeCategory
FEE_CATEGORY_CHILD: FeeCategory
VETERAN_STATUS_UNSPECIFIED: VeteranStatus
VETERAN_STATUS_COMBATANT: VeteranStatus
VETERAN_STATUS_WOUNDED: VeteranStatus
VETERAN_STATUS_RETURNED_FROM_SERVICE: VeteranStatus
VETERAN_STATUS_RELEASED_FROM_CAPTIVITY: VeteranStatus
VETERAN_STATUS_DISABLED_DUE_TO_WAR: VeteranStatus
VETERAN_STATUS_FAMILY_OF_FALLEN_DEFENDER: VeteranStatus
CONSENT_PURPOSE_UNSPECIFIED: ConsentPurpose
CONSENT_PURPOSE_REGISTRY_LOOKUP: ConsentPurpose
CONSENT_PURPOSE_TRANSFER: ConsentPurpose
CONSENT_PURPOSE_REFERRAL: ConsentPurpose
CONSENT_METHOD_UNSPECIFIED: ConsentMethod
CONSENT_METHOD_WRITTEN: ConsentMethod
CONSENT_METHOD_ORAL: ConsentMethod
CONSENT_METHOD_ELECTRONIC_CABINET: ConsentMethod
CONSENT_METHOD_DIIA: ConsentMethod
CONSENT_GIVER_UNSPECIFIED: ConsentGiver
CONSENT_GIVER_PERSON: ConsentGiver
CONSENT_GIVER_LEGAL_REPRESENTATIVE: ConsentGiver
CONSENT_STATE_UNSPECIFIED: ConsentState
CONSENT_STATE_ACTIVE: ConsentState
CONSENT_STATE_EXPIRED: ConsentState
CONSENT_STATE_WITHDRAWN: ConsentState

class Case(_message.Message):
    __slots__ = ("case_id", "case_number", "stage", "screening_level", "appeal_id", "community_code", "person_id", "assigned_to", "opened_at", "version", "complexity", "overdue", "stage_entered_at", "assignment_explanation", "outcome", "closure_requested", "person_name", "stage_due_at", "next_step_due_on", "overdue_steps")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_TO_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    COMPLEXITY_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    STAGE_ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CLOSURE_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    STAGE_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    NEXT_STEP_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_STEPS_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    case_number: str
    stage: Stage
    screening_level: _common_pb2.ScreeningLevel
    appeal_id: str
    community_code: str
    person_id: str
    assigned_to: str
    opened_at: _timestamp_pb2.Timestamp
    version: int
    complexity: str
    overdue: bool
    stage_entered_at: _timestamp_pb2.Timestamp
    assignment_explanation: str
    outcome: Outcome
    closure_requested: Outcome
    person_name: str
    stage_due_at: _timestamp_pb2.Timestamp
    next_step_due_on: str
    overdue_steps: int
    def __init__(self, case_id: _Optional[str] = ..., case_number: _Optional[str] = ..., stage: _Optional[_Union[Stage, str]] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., appeal_id: _Optional[str] = ..., community_code: _Optional[str] = ..., person_id: _Optional[str] = ..., assigned_to: _Optional[str] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., complexity: _Optional[str] = ..., overdue: _Optional[bool] = ..., stage_entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., assignment_explanation: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., closure_requested: _Optional[_Union[Outcome, str]] = ..., person_name: _Optional[str] = ..., stage_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., next_step_due_on: _Optional[str] = ..., overdue_steps: _Optional[int] = ...) -> None: ...

class GetCaseRequest(_message.Message):
    __slots__ = ("case_number", "case_id", "purpose")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    case_id: str
    purpose: str
    def __init__(self, case_number: _Optional[str] = ..., case_id: _Optional[str] = ..., purpose: _Optional[str] = ...) -> None: ...

class ListCasesRequest(_message.Message):
    __slots__ = ("stage", "community_code", "page_size", "page_token", "overdue_only", "assigned_to", "search")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_ONLY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_TO_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    stage: Stage
    community_code: str
    page_size: int
    page_token: str
    overdue_only: bool
    assigned_to: str
    search: str
    def __init__(self, stage: _Optional[_Union[Stage, str]] = ..., community_code: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., overdue_only: _Optional[bool] = ..., assigned_to: _Optional[str] = ..., search: _Optional[str] = ...) -> None: ...

class ListCasesResponse(_message.Message):
    __slots__ = ("cases", "next_page_token")
    CASES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    cases: _containers.RepeatedCompositeFieldContainer[Case]
    next_page_token: str
    def __init__(self, cases: _Optional[_Iterable[_Union[Case, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class TransitionCaseRequest(_message.Message):
    __slots__ = ("case_id", "target_stage", "expected_version", "outcome", "reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_STAGE_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    target_stage: Stage
    expected_version: int
    outcome: Outcome
    reason: str
    def __init__(self, case_id: _Optional[str] = ..., target_stage: _Optional[_Union[Stage, str]] = ..., expected_version: _Optional[int] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class FamilyMember(_message.Message):
    __slots__ = ("full_name", "birth_date", "disability", "work_or_study", "registration", "phone", "relation", "legal_capacity", "rnokpp", "unzr")
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_FIELD_NUMBER: _ClassVar[int]
    WORK_OR_STUDY_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    RNOKPP_FIELD_NUMBER: _ClassVar[int]
    UNZR_FIELD_NUMBER: _ClassVar[int]
    full_name: str
    birth_date: str
    disability: str
    work_or_study: str
    registration: str
    phone: str
    relation: Relation
    legal_capacity: LegalCapacity
    rnokpp: str
    unzr: str
    def __init__(self, full_name: _Optional[str] = ..., birth_date: _Optional[str] = ..., disability: _Optional[str] = ..., work_or_study: _Optional[str] = ..., registration: _Optional[str] = ..., phone: _Optional[str] = ..., relation: _Optional[_Union[Relation, str]] = ..., legal_capacity: _Optional[_Union[LegalCapacity, str]] = ..., rnokpp: _Optional[str] = ..., unzr: _Optional[str] = ...) -> None: ...

class DomainAssessment(_message.Message):
    __slots__ = ("domain", "need_level", "strengths", "notes")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    NEED_LEVEL_FIELD_NUMBER: _ClassVar[int]
    STRENGTHS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    domain: str
    need_level: int
    strengths: str
    notes: str
    def __init__(self, domain: _Optional[str] = ..., need_level: _Optional[int] = ..., strengths: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class ChildNeeds(_message.Message):
    __slots__ = ("child_ref", "need_level", "strengths", "notes")
    CHILD_REF_FIELD_NUMBER: _ClassVar[int]
    NEED_LEVEL_FIELD_NUMBER: _ClassVar[int]
    STRENGTHS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    child_ref: str
    need_level: int
    strengths: str
    notes: str
    def __init__(self, child_ref: _Optional[str] = ..., need_level: _Optional[int] = ..., strengths: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class AgencyContribution(_message.Message):
    __slots__ = ("agency_code", "author_id", "text", "at")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    author_id: str
    text: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, agency_code: _Optional[str] = ..., author_id: _Optional[str] = ..., text: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Assessment(_message.Message):
    __slots__ = ("case_id", "version", "started_on", "ended_on", "specialist_id", "family", "domains", "children", "contributions", "status", "approved_by", "returned_by", "returned_reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STARTED_ON_FIELD_NUMBER: _ClassVar[int]
    ENDED_ON_FIELD_NUMBER: _ClassVar[int]
    SPECIALIST_ID_FIELD_NUMBER: _ClassVar[int]
    FAMILY_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    CONTRIBUTIONS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    RETURNED_BY_FIELD_NUMBER: _ClassVar[int]
    RETURNED_REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    version: int
    started_on: str
    ended_on: str
    specialist_id: str
    family: _containers.RepeatedCompositeFieldContainer[FamilyMember]
    domains: _containers.RepeatedCompositeFieldContainer[DomainAssessment]
    children: _containers.RepeatedCompositeFieldContainer[ChildNeeds]
    contributions: _containers.RepeatedCompositeFieldContainer[AgencyContribution]
    status: str
    approved_by: str
    returned_by: str
    returned_reason: str
    def __init__(self, case_id: _Optional[str] = ..., version: _Optional[int] = ..., started_on: _Optional[str] = ..., ended_on: _Optional[str] = ..., specialist_id: _Optional[str] = ..., family: _Optional[_Iterable[_Union[FamilyMember, _Mapping]]] = ..., domains: _Optional[_Iterable[_Union[DomainAssessment, _Mapping]]] = ..., children: _Optional[_Iterable[_Union[ChildNeeds, _Mapping]]] = ..., contributions: _Optional[_Iterable[_Union[AgencyContribution, _Mapping]]] = ..., status: _Optional[str] = ..., approved_by: _Optional[str] = ..., returned_by: _Optional[str] = ..., returned_reason: _Optional[str] = ...) -> None: ...

class SaveAssessmentRequest(_message.Message):
    __slots__ = ("assessment", "expected_case_version", "submit")
    ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CASE_VERSION_FIELD_NUMBER: _ClassVar[int]
    SUBMIT_FIELD_NUMBER: _ClassVar[int]
    assessment: Assessment
    expected_case_version: int
    submit: bool
    def __init__(self, assessment: _Optional[_Union[Assessment, _Mapping]] = ..., expected_case_version: _Optional[int] = ..., submit: _Optional[bool] = ...) -> None: ...

class GetAssessmentRequest(_message.Message):
    __slots__ = ("case_id", "version")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    version: int
    def __init__(self, case_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ApproveAssessmentRequest(_message.Message):
    __slots__ = ("case_id", "version")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    version: int
    def __init__(self, case_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class AddAgencyContributionRequest(_message.Message):
    __slots__ = ("case_id", "agency_code", "text")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    agency_code: str
    text: str
    def __init__(self, case_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class ScoreAssessmentRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class Reason(_message.Message):
    __slots__ = ("field", "value", "rule_id", "text_uk", "text_en")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_UK_FIELD_NUMBER: _ClassVar[int]
    TEXT_EN_FIELD_NUMBER: _ClassVar[int]
    field: str
    value: str
    rule_id: str
    text_uk: str
    text_en: str
    def __init__(self, field: _Optional[str] = ..., value: _Optional[str] = ..., rule_id: _Optional[str] = ..., text_uk: _Optional[str] = ..., text_en: _Optional[str] = ...) -> None: ...

class Recommendation(_message.Message):
    __slots__ = ("because", "service_type")
    BECAUSE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    because: _containers.RepeatedCompositeFieldContainer[Reason]
    service_type: ServiceType
    def __init__(self, because: _Optional[_Iterable[_Union[Reason, _Mapping]]] = ..., service_type: _Optional[_Union[ServiceType, str]] = ...) -> None: ...

class ScoringResult(_message.Message):
    __slots__ = ("rules_version", "complexity", "long_term", "recommendations", "explanation")
    RULES_VERSION_FIELD_NUMBER: _ClassVar[int]
    COMPLEXITY_FIELD_NUMBER: _ClassVar[int]
    LONG_TERM_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATIONS_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    rules_version: str
    complexity: str
    long_term: bool
    recommendations: _containers.RepeatedCompositeFieldContainer[Recommendation]
    explanation: _containers.RepeatedCompositeFieldContainer[Reason]
    def __init__(self, rules_version: _Optional[str] = ..., complexity: _Optional[str] = ..., long_term: _Optional[bool] = ..., recommendations: _Optional[_Iterable[_Union[Recommendation, _Mapping]]] = ..., explanation: _Optional[_Iterable[_Union[Reason, _Mapping]]] = ...) -> None: ...

class Goal(_message.Message):
    __slots__ = ("goal_id", "need_domain", "description")
    GOAL_ID_FIELD_NUMBER: _ClassVar[int]
    NEED_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    goal_id: str
    need_domain: str
    description: str
    def __init__(self, goal_id: _Optional[str] = ..., need_domain: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class Step(_message.Message):
    __slots__ = ("step_id", "goal_id", "what", "responsible_ref", "due_on", "status", "responsible_kind")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    GOAL_ID_FIELD_NUMBER: _ClassVar[int]
    WHAT_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_REF_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_KIND_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    goal_id: str
    what: str
    responsible_ref: str
    due_on: str
    status: str
    responsible_kind: ResponsibleKind
    def __init__(self, step_id: _Optional[str] = ..., goal_id: _Optional[str] = ..., what: _Optional[str] = ..., responsible_ref: _Optional[str] = ..., due_on: _Optional[str] = ..., status: _Optional[str] = ..., responsible_kind: _Optional[_Union[ResponsibleKind, str]] = ...) -> None: ...

class PlannedService(_message.Message):
    __slots__ = ("service_id", "provider", "frequency", "service_type")
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    service_id: str
    provider: str
    frequency: str
    service_type: ServiceType
    def __init__(self, service_id: _Optional[str] = ..., provider: _Optional[str] = ..., frequency: _Optional[str] = ..., service_type: _Optional[_Union[ServiceType, str]] = ...) -> None: ...

class Plan(_message.Message):
    __slots__ = ("case_id", "version", "goals", "steps", "services", "agreed_at", "agreement_channel", "approved_by", "agreed_by", "approved_at", "returned_by", "returned_reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    GOALS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    AGREED_AT_FIELD_NUMBER: _ClassVar[int]
    AGREEMENT_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    AGREED_BY_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AT_FIELD_NUMBER: _ClassVar[int]
    RETURNED_BY_FIELD_NUMBER: _ClassVar[int]
    RETURNED_REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    version: int
    goals: _containers.RepeatedCompositeFieldContainer[Goal]
    steps: _containers.RepeatedCompositeFieldContainer[Step]
    services: _containers.RepeatedCompositeFieldContainer[PlannedService]
    agreed_at: _timestamp_pb2.Timestamp
    agreement_channel: str
    approved_by: str
    agreed_by: str
    approved_at: _timestamp_pb2.Timestamp
    returned_by: str
    returned_reason: str
    def __init__(self, case_id: _Optional[str] = ..., version: _Optional[int] = ..., goals: _Optional[_Iterable[_Union[Goal, _Mapping]]] = ..., steps: _Optional[_Iterable[_Union[Step, _Mapping]]] = ..., services: _Optional[_Iterable[_Union[PlannedService, _Mapping]]] = ..., agreed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., agreement_channel: _Optional[str] = ..., approved_by: _Optional[str] = ..., agreed_by: _Optional[str] = ..., approved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., returned_by: _Optional[str] = ..., returned_reason: _Optional[str] = ...) -> None: ...

class SavePlanRequest(_message.Message):
    __slots__ = ("plan", "expected_case_version")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CASE_VERSION_FIELD_NUMBER: _ClassVar[int]
    plan: Plan
    expected_case_version: int
    def __init__(self, plan: _Optional[_Union[Plan, _Mapping]] = ..., expected_case_version: _Optional[int] = ...) -> None: ...

class GetPlanRequest(_message.Message):
    __slots__ = ("case_id", "version")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    version: int
    def __init__(self, case_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class AgreePlanRequest(_message.Message):
    __slots__ = ("case_id", "version", "channel")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    version: int
    channel: str
    def __init__(self, case_id: _Optional[str] = ..., version: _Optional[int] = ..., channel: _Optional[str] = ...) -> None: ...

class MarkStepDoneRequest(_message.Message):
    __slots__ = ("case_id", "step_id")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    step_id: str
    def __init__(self, case_id: _Optional[str] = ..., step_id: _Optional[str] = ...) -> None: ...

class Review(_message.Message):
    __slots__ = ("case_id", "held_on", "services_relevant", "impact", "reassessment_needed", "reviewer_id", "goal_results")
    class GoalResultsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: GoalResult
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[GoalResult, str]] = ...) -> None: ...
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    SERVICES_RELEVANT_FIELD_NUMBER: _ClassVar[int]
    IMPACT_FIELD_NUMBER: _ClassVar[int]
    REASSESSMENT_NEEDED_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    GOAL_RESULTS_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    held_on: str
    services_relevant: bool
    impact: str
    reassessment_needed: bool
    reviewer_id: str
    goal_results: _containers.ScalarMap[str, GoalResult]
    def __init__(self, case_id: _Optional[str] = ..., held_on: _Optional[str] = ..., services_relevant: _Optional[bool] = ..., impact: _Optional[str] = ..., reassessment_needed: _Optional[bool] = ..., reviewer_id: _Optional[str] = ..., goal_results: _Optional[_Mapping[str, GoalResult]] = ...) -> None: ...

class RecordReviewRequest(_message.Message):
    __slots__ = ("review", "expected_case_version")
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CASE_VERSION_FIELD_NUMBER: _ClassVar[int]
    review: Review
    expected_case_version: int
    def __init__(self, review: _Optional[_Union[Review, _Mapping]] = ..., expected_case_version: _Optional[int] = ...) -> None: ...

class AssignCaseRequest(_message.Message):
    __slots__ = ("case_id", "manager_id", "reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    manager_id: str
    reason: str
    def __init__(self, case_id: _Optional[str] = ..., manager_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetWorkloadReportRequest(_message.Message):
    __slots__ = ("community_code",)
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    community_code: str
    def __init__(self, community_code: _Optional[str] = ...) -> None: ...

class ManagerLoad(_message.Message):
    __slots__ = ("manager_id", "community_code", "capacity", "weighted_load", "open_cases")
    MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_LOAD_FIELD_NUMBER: _ClassVar[int]
    OPEN_CASES_FIELD_NUMBER: _ClassVar[int]
    manager_id: str
    community_code: str
    capacity: int
    weighted_load: int
    open_cases: int
    def __init__(self, manager_id: _Optional[str] = ..., community_code: _Optional[str] = ..., capacity: _Optional[int] = ..., weighted_load: _Optional[int] = ..., open_cases: _Optional[int] = ...) -> None: ...

class WorkloadReport(_message.Message):
    __slots__ = ("managers",)
    MANAGERS_FIELD_NUMBER: _ClassVar[int]
    managers: _containers.RepeatedCompositeFieldContainer[ManagerLoad]
    def __init__(self, managers: _Optional[_Iterable[_Union[ManagerLoad, _Mapping]]] = ...) -> None: ...

class GetSocialHistoryRequest(_message.Message):
    __slots__ = ("person_id", "page_size", "page_token")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    page_size: int
    page_token: str
    def __init__(self, person_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class HistoryEntry(_message.Message):
    __slots__ = ("at", "kind", "reference", "summary", "source", "entry_id", "erroneous", "erroneous_reason", "marked_erroneous_by", "marked_erroneous_at")
    AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    ERRONEOUS_FIELD_NUMBER: _ClassVar[int]
    ERRONEOUS_REASON_FIELD_NUMBER: _ClassVar[int]
    MARKED_ERRONEOUS_BY_FIELD_NUMBER: _ClassVar[int]
    MARKED_ERRONEOUS_AT_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    kind: str
    reference: str
    summary: str
    source: str
    entry_id: int
    erroneous: bool
    erroneous_reason: str
    marked_erroneous_by: str
    marked_erroneous_at: _timestamp_pb2.Timestamp
    def __init__(self, at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ..., reference: _Optional[str] = ..., summary: _Optional[str] = ..., source: _Optional[str] = ..., entry_id: _Optional[int] = ..., erroneous: _Optional[bool] = ..., erroneous_reason: _Optional[str] = ..., marked_erroneous_by: _Optional[str] = ..., marked_erroneous_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SocialHistory(_message.Message):
    __slots__ = ("entries", "next_page_token")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[HistoryEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[HistoryEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetCabinetRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CabinetStep(_message.Message):
    __slots__ = ("step_id", "what", "due_on", "status", "mine", "responsible_kind")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    WHAT_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MINE_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_KIND_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    what: str
    due_on: str
    status: str
    mine: bool
    responsible_kind: ResponsibleKind
    def __init__(self, step_id: _Optional[str] = ..., what: _Optional[str] = ..., due_on: _Optional[str] = ..., status: _Optional[str] = ..., mine: _Optional[bool] = ..., responsible_kind: _Optional[_Union[ResponsibleKind, str]] = ...) -> None: ...

class CabinetService(_message.Message):
    __slots__ = ("service_id", "provider", "frequency", "my_rating", "service_type")
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    MY_RATING_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    service_id: str
    provider: str
    frequency: str
    my_rating: int
    service_type: ServiceType
    def __init__(self, service_id: _Optional[str] = ..., provider: _Optional[str] = ..., frequency: _Optional[str] = ..., my_rating: _Optional[int] = ..., service_type: _Optional[_Union[ServiceType, str]] = ...) -> None: ...

class Cabinet(_message.Message):
    __slots__ = ("case_number", "stage", "plan_version", "plan_agreed", "goals", "steps", "services", "read_only", "closed_at", "rating_open_until")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    PLAN_AGREED_FIELD_NUMBER: _ClassVar[int]
    GOALS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    READ_ONLY_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    RATING_OPEN_UNTIL_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    stage: Stage
    plan_version: int
    plan_agreed: bool
    goals: _containers.RepeatedScalarFieldContainer[str]
    steps: _containers.RepeatedCompositeFieldContainer[CabinetStep]
    services: _containers.RepeatedCompositeFieldContainer[CabinetService]
    read_only: bool
    closed_at: _timestamp_pb2.Timestamp
    rating_open_until: _timestamp_pb2.Timestamp
    def __init__(self, case_number: _Optional[str] = ..., stage: _Optional[_Union[Stage, str]] = ..., plan_version: _Optional[int] = ..., plan_agreed: _Optional[bool] = ..., goals: _Optional[_Iterable[str]] = ..., steps: _Optional[_Iterable[_Union[CabinetStep, _Mapping]]] = ..., services: _Optional[_Iterable[_Union[CabinetService, _Mapping]]] = ..., read_only: _Optional[bool] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rating_open_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AgreePlanInCabinetRequest(_message.Message):
    __slots__ = ("plan_version",)
    PLAN_VERSION_FIELD_NUMBER: _ClassVar[int]
    plan_version: int
    def __init__(self, plan_version: _Optional[int] = ...) -> None: ...

class MarkOwnStepDoneRequest(_message.Message):
    __slots__ = ("step_id",)
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    def __init__(self, step_id: _Optional[str] = ...) -> None: ...

class RateServiceRequest(_message.Message):
    __slots__ = ("service_id", "rating", "comment")
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    service_id: str
    rating: int
    comment: str
    def __init__(self, service_id: _Optional[str] = ..., rating: _Optional[int] = ..., comment: _Optional[str] = ...) -> None: ...

class Rating(_message.Message):
    __slots__ = ("case_number", "service_id", "rating", "comment", "at")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    service_id: str
    rating: int
    comment: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, case_number: _Optional[str] = ..., service_id: _Optional[str] = ..., rating: _Optional[int] = ..., comment: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetSupervisionQueueRequest(_message.Message):
    __slots__ = ("community_code",)
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    community_code: str
    def __init__(self, community_code: _Optional[str] = ...) -> None: ...

class QueueItem(_message.Message):
    __slots__ = ("kind", "case_id", "case_number", "detail", "since")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    case_id: str
    case_number: str
    detail: str
    since: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[str] = ..., case_id: _Optional[str] = ..., case_number: _Optional[str] = ..., detail: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SupervisionQueue(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[QueueItem]
    def __init__(self, items: _Optional[_Iterable[_Union[QueueItem, _Mapping]]] = ...) -> None: ...

class ReturnForReworkRequest(_message.Message):
    __slots__ = ("case_id", "kind", "version", "reason")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    kind: str
    version: int
    reason: str
    def __init__(self, case_id: _Optional[str] = ..., kind: _Optional[str] = ..., version: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class GetQualityKpisRequest(_message.Message):
    __slots__ = ("community_code",)
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    community_code: str
    def __init__(self, community_code: _Optional[str] = ...) -> None: ...

class QualityKpis(_message.Message):
    __slots__ = ("open_cases", "caseload_per_manager", "overdue_cases", "overdue_steps", "days_to_assessment", "days_to_plan", "days_to_closure", "outcomes", "average_rating", "ratings")
    class OutcomesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    OPEN_CASES_FIELD_NUMBER: _ClassVar[int]
    CASELOAD_PER_MANAGER_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_CASES_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_STEPS_FIELD_NUMBER: _ClassVar[int]
    DAYS_TO_ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    DAYS_TO_PLAN_FIELD_NUMBER: _ClassVar[int]
    DAYS_TO_CLOSURE_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_RATING_FIELD_NUMBER: _ClassVar[int]
    RATINGS_FIELD_NUMBER: _ClassVar[int]
    open_cases: int
    caseload_per_manager: float
    overdue_cases: int
    overdue_steps: int
    days_to_assessment: float
    days_to_plan: float
    days_to_closure: float
    outcomes: _containers.ScalarMap[str, int]
    average_rating: float
    ratings: int
    def __init__(self, open_cases: _Optional[int] = ..., caseload_per_manager: _Optional[float] = ..., overdue_cases: _Optional[int] = ..., overdue_steps: _Optional[int] = ..., days_to_assessment: _Optional[float] = ..., days_to_plan: _Optional[float] = ..., days_to_closure: _Optional[float] = ..., outcomes: _Optional[_Mapping[str, int]] = ..., average_rating: _Optional[float] = ..., ratings: _Optional[int] = ...) -> None: ...

class DraftContractRequest(_message.Message):
    __slots__ = ("case_id", "service_id", "average_monthly_income", "subsistence_minimum", "tariff", "categories")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_MONTHLY_INCOME_FIELD_NUMBER: _ClassVar[int]
    SUBSISTENCE_MINIMUM_FIELD_NUMBER: _ClassVar[int]
    TARIFF_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    service_id: str
    average_monthly_income: str
    subsistence_minimum: str
    tariff: str
    categories: _containers.RepeatedScalarFieldContainer[FeeCategory]
    def __init__(self, case_id: _Optional[str] = ..., service_id: _Optional[str] = ..., average_monthly_income: _Optional[str] = ..., subsistence_minimum: _Optional[str] = ..., tariff: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[FeeCategory, str]]] = ...) -> None: ...

class ContractDraft(_message.Message):
    __slots__ = ("contract_id", "case_id", "provider", "free_of_charge", "amount", "explanation", "rules_version", "service_type", "service_id", "categories", "stored", "tariff", "created_by", "created_at", "status")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    FREE_OF_CHARGE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    RULES_VERSION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    STORED_FIELD_NUMBER: _ClassVar[int]
    TARIFF_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    case_id: str
    provider: str
    free_of_charge: bool
    amount: str
    explanation: _containers.RepeatedScalarFieldContainer[str]
    rules_version: str
    service_type: ServiceType
    service_id: str
    categories: _containers.RepeatedScalarFieldContainer[FeeCategory]
    stored: bool
    tariff: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    status: str
    def __init__(self, contract_id: _Optional[str] = ..., case_id: _Optional[str] = ..., provider: _Optional[str] = ..., free_of_charge: _Optional[bool] = ..., amount: _Optional[str] = ..., explanation: _Optional[_Iterable[str]] = ..., rules_version: _Optional[str] = ..., service_type: _Optional[_Union[ServiceType, str]] = ..., service_id: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[FeeCategory, str]]] = ..., stored: _Optional[bool] = ..., tariff: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ...) -> None: ...

class ListContractsRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class ListContractsResponse(_message.Message):
    __slots__ = ("contracts",)
    CONTRACTS_FIELD_NUMBER: _ClassVar[int]
    contracts: _containers.RepeatedCompositeFieldContainer[ContractDraft]
    def __init__(self, contracts: _Optional[_Iterable[_Union[ContractDraft, _Mapping]]] = ...) -> None: ...

class GetContractRequest(_message.Message):
    __slots__ = ("contract_id",)
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    def __init__(self, contract_id: _Optional[str] = ...) -> None: ...

class RequestTransferRequest(_message.Message):
    __slots__ = ("case_id", "to_manager_id", "to_community_code", "to_provider", "consent_recorded", "reason", "expected_case_version")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    TO_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CONSENT_RECORDED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CASE_VERSION_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    to_manager_id: str
    to_community_code: str
    to_provider: str
    consent_recorded: bool
    reason: str
    expected_case_version: int
    def __init__(self, case_id: _Optional[str] = ..., to_manager_id: _Optional[str] = ..., to_community_code: _Optional[str] = ..., to_provider: _Optional[str] = ..., consent_recorded: _Optional[bool] = ..., reason: _Optional[str] = ..., expected_case_version: _Optional[int] = ...) -> None: ...

class AcceptTransferRequest(_message.Message):
    __slots__ = ("transfer_id",)
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    transfer_id: str
    def __init__(self, transfer_id: _Optional[str] = ...) -> None: ...

class Transfer(_message.Message):
    __slots__ = ("transfer_id", "case_id", "from_manager_id", "to_manager_id", "to_community_code", "to_provider", "state", "requested_at", "accepted_at", "consent_id")
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    transfer_id: str
    case_id: str
    from_manager_id: str
    to_manager_id: str
    to_community_code: str
    to_provider: str
    state: str
    requested_at: _timestamp_pb2.Timestamp
    accepted_at: _timestamp_pb2.Timestamp
    consent_id: str
    def __init__(self, transfer_id: _Optional[str] = ..., case_id: _Optional[str] = ..., from_manager_id: _Optional[str] = ..., to_manager_id: _Optional[str] = ..., to_community_code: _Optional[str] = ..., to_provider: _Optional[str] = ..., state: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., accepted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., consent_id: _Optional[str] = ...) -> None: ...

class Person(_message.Message):
    __slots__ = ("person_id", "identity", "phone", "email", "veteran_statuses", "disability_group", "merged_into")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    VETERAN_STATUSES_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_GROUP_FIELD_NUMBER: _ClassVar[int]
    MERGED_INTO_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    identity: _common_pb2.PersonIdentity
    phone: str
    email: str
    veteran_statuses: _containers.RepeatedScalarFieldContainer[VeteranStatus]
    disability_group: int
    merged_into: str
    def __init__(self, person_id: _Optional[str] = ..., identity: _Optional[_Union[_common_pb2.PersonIdentity, _Mapping]] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., veteran_statuses: _Optional[_Iterable[_Union[VeteranStatus, str]]] = ..., disability_group: _Optional[int] = ..., merged_into: _Optional[str] = ...) -> None: ...

class GetPersonRequest(_message.Message):
    __slots__ = ("person_id",)
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    def __init__(self, person_id: _Optional[str] = ...) -> None: ...

class UpdatePersonRequest(_message.Message):
    __slots__ = ("person_id", "phone", "email", "veteran_statuses", "disability_group")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    VETERAN_STATUSES_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_GROUP_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    phone: str
    email: str
    veteran_statuses: _containers.RepeatedScalarFieldContainer[VeteranStatus]
    disability_group: int
    def __init__(self, person_id: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., veteran_statuses: _Optional[_Iterable[_Union[VeteranStatus, str]]] = ..., disability_group: _Optional[int] = ...) -> None: ...

class Household(_message.Message):
    __slots__ = ("household_id", "case_id", "address", "members")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    case_id: str
    address: str
    members: _containers.RepeatedCompositeFieldContainer[FamilyMember]
    def __init__(self, household_id: _Optional[str] = ..., case_id: _Optional[str] = ..., address: _Optional[str] = ..., members: _Optional[_Iterable[_Union[FamilyMember, _Mapping]]] = ...) -> None: ...

class SaveHouseholdRequest(_message.Message):
    __slots__ = ("household",)
    HOUSEHOLD_FIELD_NUMBER: _ClassVar[int]
    household: Household
    def __init__(self, household: _Optional[_Union[Household, _Mapping]] = ...) -> None: ...

class GetHouseholdRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class MergePersonsRequest(_message.Message):
    __slots__ = ("keep_person_id", "merge_person_id", "reason")
    KEEP_PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    MERGE_PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    keep_person_id: str
    merge_person_id: str
    reason: str
    def __init__(self, keep_person_id: _Optional[str] = ..., merge_person_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ApproveClosureRequest(_message.Message):
    __slots__ = ("case_id", "expected_version")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    expected_version: int
    def __init__(self, case_id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ApprovePlanRequest(_message.Message):
    __slots__ = ("case_id", "version")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    version: int
    def __init__(self, case_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetCaseAppealRequest(_message.Message):
    __slots__ = ("case_id", "case_number", "appeal_id", "purpose")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    case_number: str
    appeal_id: str
    purpose: str
    def __init__(self, case_id: _Optional[str] = ..., case_number: _Optional[str] = ..., appeal_id: _Optional[str] = ..., purpose: _Optional[str] = ...) -> None: ...

class Applicant(_message.Message):
    __slots__ = ("last_name", "first_name", "patronymic", "is_subject", "relation_to_subject", "phone", "email")
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    PATRONYMIC_FIELD_NUMBER: _ClassVar[int]
    IS_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    RELATION_TO_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    last_name: str
    first_name: str
    patronymic: str
    is_subject: bool
    relation_to_subject: str
    phone: str
    email: str
    def __init__(self, last_name: _Optional[str] = ..., first_name: _Optional[str] = ..., patronymic: _Optional[str] = ..., is_subject: _Optional[bool] = ..., relation_to_subject: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class CaseAppeal(_message.Message):
    __slots__ = ("case_id", "case_number", "appeal_id", "tracking_number", "description", "channel", "source_reference", "submitted_at", "applicant", "urgent", "screening_level", "appeal_ids")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    APPLICANT_FIELD_NUMBER: _ClassVar[int]
    URGENT_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    APPEAL_IDS_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    case_number: str
    appeal_id: str
    tracking_number: str
    description: str
    channel: _common_pb2.Channel
    source_reference: str
    submitted_at: _timestamp_pb2.Timestamp
    applicant: Applicant
    urgent: bool
    screening_level: _common_pb2.ScreeningLevel
    appeal_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, case_id: _Optional[str] = ..., case_number: _Optional[str] = ..., appeal_id: _Optional[str] = ..., tracking_number: _Optional[str] = ..., description: _Optional[str] = ..., channel: _Optional[_Union[_common_pb2.Channel, str]] = ..., source_reference: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., applicant: _Optional[_Union[Applicant, _Mapping]] = ..., urgent: _Optional[bool] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., appeal_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetCatalogueRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CatalogueEntry(_message.Message):
    __slots__ = ("number", "name", "code", "label_uk", "label_en")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_UK_FIELD_NUMBER: _ClassVar[int]
    LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    number: int
    name: str
    code: str
    label_uk: str
    label_en: str
    def __init__(self, number: _Optional[int] = ..., name: _Optional[str] = ..., code: _Optional[str] = ..., label_uk: _Optional[str] = ..., label_en: _Optional[str] = ...) -> None: ...

class CatalogueList(_message.Message):
    __slots__ = ("enum", "entries")
    ENUM_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    enum: str
    entries: _containers.RepeatedCompositeFieldContainer[CatalogueEntry]
    def __init__(self, enum: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[CatalogueEntry, _Mapping]]] = ...) -> None: ...

class Catalogue(_message.Message):
    __slots__ = ("lists",)
    LISTS_FIELD_NUMBER: _ClassVar[int]
    lists: _containers.RepeatedCompositeFieldContainer[CatalogueList]
    def __init__(self, lists: _Optional[_Iterable[_Union[CatalogueList, _Mapping]]] = ...) -> None: ...

class Consent(_message.Message):
    __slots__ = ("consent_id", "case_id", "person_id", "purpose", "recipient", "data_categories", "legal_basis", "given_by", "representative_name", "representative_basis", "method", "document_reference", "given_at", "expires_at", "recorded_by", "recorded_at", "state", "withdrawn_at", "withdrawn_by", "withdrawal_reason")
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    DATA_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    GIVEN_BY_FIELD_NUMBER: _ClassVar[int]
    REPRESENTATIVE_NAME_FIELD_NUMBER: _ClassVar[int]
    REPRESENTATIVE_BASIS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    GIVEN_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_BY_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWAL_REASON_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    case_id: str
    person_id: str
    purpose: ConsentPurpose
    recipient: str
    data_categories: _containers.RepeatedScalarFieldContainer[str]
    legal_basis: str
    given_by: ConsentGiver
    representative_name: str
    representative_basis: str
    method: ConsentMethod
    document_reference: str
    given_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    state: ConsentState
    withdrawn_at: _timestamp_pb2.Timestamp
    withdrawn_by: str
    withdrawal_reason: str
    def __init__(self, consent_id: _Optional[str] = ..., case_id: _Optional[str] = ..., person_id: _Optional[str] = ..., purpose: _Optional[_Union[ConsentPurpose, str]] = ..., recipient: _Optional[str] = ..., data_categories: _Optional[_Iterable[str]] = ..., legal_basis: _Optional[str] = ..., given_by: _Optional[_Union[ConsentGiver, str]] = ..., representative_name: _Optional[str] = ..., representative_basis: _Optional[str] = ..., method: _Optional[_Union[ConsentMethod, str]] = ..., document_reference: _Optional[str] = ..., given_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[ConsentState, str]] = ..., withdrawn_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., withdrawn_by: _Optional[str] = ..., withdrawal_reason: _Optional[str] = ...) -> None: ...

class RecordConsentRequest(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: Consent
    def __init__(self, consent: _Optional[_Union[Consent, _Mapping]] = ...) -> None: ...

class WithdrawConsentRequest(_message.Message):
    __slots__ = ("consent_id", "reason")
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    reason: str
    def __init__(self, consent_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListConsentsRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class ListMyConsentsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListConsentsResponse(_message.Message):
    __slots__ = ("consents",)
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    def __init__(self, consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ...) -> None: ...

class ConsentRecordsExport(_message.Message):
    __slots__ = ("json", "count")
    JSON_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    json: str
    count: int
    def __init__(self, json: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class MarkHistoryEntryErroneousRequest(_message.Message):
    __slots__ = ("person_id", "entry_id", "reason")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    entry_id: int
    reason: str
    def __init__(self, person_id: _Optional[str] = ..., entry_id: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...
