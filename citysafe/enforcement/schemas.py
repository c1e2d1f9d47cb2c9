"""API schemas of the enforcement kinds and endpoints."""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional

from ninja import Field, Schema
from pydantic import Strict

from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import Coordinate, Id, MultilineText, NotOnCreate, Text, Version, choice_in, choice_out
from citysafe.enforcement.models import Case, Evidence, Holiday, InspectionRecord, Penalty, Status
from citysafe.enforcement.workflows import CASE_FLOW


class RecordOut(Schema):
    id: int
    version: int


class HolidayOut(RecordOut):
    day: date
    kind: choice_out(Holiday.Kind.choices)
    name: str
    note: str


class _HolidayUpdate(Schema):
    version: Version
    day: Optional[date] = None
    kind: Optional[choice_in(Holiday.Kind.choices)] = None
    name: Optional[Text] = None
    note: Optional[Text] = None


HolidayUpdate = patch_schema(_HolidayUpdate, Holiday)


class HolidayCreate(HolidayUpdate):
    version: NotOnCreate = None
    day: date
    name: Text


class InspectionOut(RecordOut):
    enterprise_id: int
    enterprise_name: str
    inspected_at: datetime
    site: str
    inspectors: str
    present_person: str
    findings: str
    result: choice_out(InspectionRecord.Result.choices)
    hazard_inspection_id: Optional[int]
    lon: Optional[float]
    lat: Optional[float]
    township_id: Optional[int]
    township_name: str


class _InspectionUpdate(Schema):
    version: Version
    enterprise_id: Optional[Id] = None
    inspected_at: Optional[datetime] = None
    site: Optional[Text] = None
    inspectors: Optional[Text] = None
    present_person: Optional[Text] = None
    findings: Optional[MultilineText] = None
    result: Optional[choice_in(InspectionRecord.Result.choices)] = None
    hazard_inspection_id: Optional[Id] = None
    lon: Optional[Coordinate] = None
    lat: Optional[Coordinate] = None


InspectionUpdate = patch_schema(_InspectionUpdate, InspectionRecord)


class InspectionCreate(InspectionUpdate):
    version: NotOnCreate = None
    enterprise_id: Id
    inspectors: Text
    # Left out: taken from the failed items of hazard_inspection_id. Not nullable, as the column.
    findings: MultilineText = None  # noqa: RUF013 (a default, never a value: null is refused)


class CaseOut(RecordOut):
    number: Optional[str]
    status: choice_out(Status.choices)
    enterprise_id: int
    enterprise_name: str
    inspection_id: Optional[int]
    cause: str
    facts: str
    violated_basis: str
    opened_on: Optional[date]
    decision_due: Optional[date]
    extended: bool
    penalty: str = Field(..., description="；".join(f"{v}：{label}" for v, label in Penalty.choices))
    fine_amount: Optional[Decimal]
    penalty_basis: str
    notified_on: Optional[date]
    statement_due: Optional[date]
    hearing_right: bool
    waived: bool
    hearing_on: Optional[date]
    decision_number: str
    decided_on: Optional[date]
    publish_due: Optional[date]
    published_at: Optional[datetime]
    payment_due: Optional[date]
    perform_by: Optional[date]
    closed_on: Optional[date]
    is_overdue: bool
    due_at: Optional[datetime]
    township_id: Optional[int]
    township_name: str


class CaseDetail(CaseOut):
    party_person: str
    decision_text: str
    enforcement_measure: str


class _CaseUpdate(Schema):
    version: Version
    enterprise_id: Optional[Id] = None
    inspection_id: Optional[Id] = None
    party_person: Optional[Text] = None
    cause: Optional[Text] = None
    facts: Optional[MultilineText] = None
    violated_basis: Optional[Text] = None


CaseUpdate = patch_schema(_CaseUpdate, Case)


class CaseCreate(CaseUpdate):
    version: NotOnCreate = None
    # Left out: the inspection record's enterprise. Not nullable, as the column.
    enterprise_id: Id = None  # noqa: RUF013 (a default, never a value: null is refused)
    cause: Text


TRANSITIONS = tuple(CASE_FLOW.transitions)


class CaseTransitionIn(Schema):
    transition: Literal[TRANSITIONS] = Field(..., description="step of the case (workflows.CASE_FLOW)")
    expected_version: Annotated[int, Strict(), Field(ge=1)] = Field(..., description="读取案件时的版本号")
    note: MultilineText = ""
    payload: Optional[dict[str, Any]] = Field(None, description=(
        "notify: {penalty, fine_amount?, penalty_basis}; decide: {penalty, fine_amount?, penalty_basis, "
        "decision_text}; request_hearing: {hearing_on}; demand: {deadline}; enforce: {measure, "
        "power_cut_notice_at?}"))
    attachments: list[Id] = Field(default_factory=list, description="本案件已上传附件的id")


class FromInspectionIn(Schema):
    cause: Text
    facts: MultilineText = ""
    violated_basis: Text = ""


class VersionIn(Schema):
    expected_version: Annotated[int, Strict(), Field(ge=1)]


class EvidenceOut(Schema):
    id: int
    kind: choice_out(Evidence.Kind.choices)
    title: str
    attachment_id: Optional[int]
    collected_at: datetime


class PublishedDecisionOut(Schema):
    decision_number: str
    enterprise_name: str
    party_person: str
    cause: str
    penalty: str
    fine_amount: Optional[Decimal]
    penalty_basis: str
    decided_on: date
    published_at: datetime
