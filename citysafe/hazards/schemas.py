"""API shapes of the hazard record kinds and the loop's endpoints."""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional

from ninja import Field, Schema
from pydantic import Strict

from citysafe.core import masking
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import (
    Coordinate,
    Id,
    MultilineText,
    NotOnCreate,
    Text,
    Version,
    choice_in,
    choice_out,
    omittable,
)
from citysafe.hazards.models import Category, Grade, Hazard, PublicReport, Reward, RewardRule, Source, Status


class RecordOut(Schema):
    id: int
    version: int


class HazardOut(RecordOut):
    code: Optional[str]
    source: choice_out(Source.choices)
    category: choice_out(Category.choices)
    description: str
    status: choice_out(Status.choices)
    grade: str = Field(..., description="''未定级 / general一般隐患 / major重大隐患")
    grade_reason: str
    enterprise_id: Optional[int]
    enterprise_name: str
    place_id: Optional[int]
    place_name: str
    area_id: Optional[int]
    area_name: str
    risk_point_id: Optional[int]
    risk_point_name: str
    found_at: datetime
    lon: Optional[float]
    lat: Optional[float]
    township_id: Optional[int]
    township_name: str
    grid_id: Optional[int]
    industry_id: Optional[int]
    owner_enterprise_id: Optional[int]
    responsible_unit: str
    responsible_person: str
    measures: str
    rectification_deadline: Optional[date]
    due_at: Optional[datetime]
    is_overdue: bool
    escalation: str
    fixed_on_spot: bool
    closed_at: Optional[datetime]
    is_listed: bool
    listing_authority: str
    listing_deadline: Optional[date]
    stop_production: bool


class HazardDetail(HazardOut):
    notice_number: str
    reinspection_result: str
    reinspected_at: Optional[datetime]
    plan_measures: str
    plan_funds: Optional[Decimal]
    plan_person: str
    plan_deadline: Optional[date]
    plan_emergency: str
    listed_at: Optional[datetime]
    delisted_at: Optional[datetime]
    reported_to_department_at: Optional[date]
    reported_to_congress_at: Optional[date]


class _HazardUpdate(Schema):
    version: Version
    source: Optional[choice_in(Source.choices)] = None
    category: Optional[choice_in(Category.choices)] = None
    description: Optional[MultilineText] = None
    enterprise_id: Optional[Id] = None
    place_id: Optional[Id] = None
    area_id: Optional[Id] = None
    risk_point_id: Optional[Id] = None
    lon: Optional[Coordinate] = None
    lat: Optional[Coordinate] = None


HazardUpdate = patch_schema(_HazardUpdate, Hazard)


class HazardCreate(HazardUpdate):
    version: NotOnCreate = None
    category: choice_in(Category.choices)
    description: MultilineText
    found_at: datetime = omittable()  # default: now


TRANSITIONS = ("grade", "return", "reject", "issue_notice", "start", "request_acceptance", "return_for_correction",
               "reinspect_fail", "reinspect_pass")


class HazardTransitionIn(Schema):
    transition: Literal[TRANSITIONS] = Field(..., description="closed-loop step (workflows.HAZARD_LOOP)")
    expected_version: Annotated[int, Strict(), Field(ge=1)] = Field(..., description="读取隐患时的版本号")
    note: MultilineText = ""
    payload: Optional[dict[str, Any]] = Field(None, description="grade: {grade, reason}; issue_notice: "
                                              "{responsible_unit, responsible_person, measures, deadline}; "
                                              "reinspect_fail: {deadline?}")
    attachments: list[Id] = Field(default_factory=list, description="本隐患已上传附件的id（照片）")


class PlanIn(Schema):
    expected_version: Annotated[int, Strict(), Field(ge=1)]
    plan_measures: Optional[MultilineText] = None
    plan_funds: Optional[Decimal] = None
    plan_person: Optional[Text] = None
    plan_deadline: Optional[date] = None
    plan_emergency: Optional[MultilineText] = None
    stop_production: Optional[bool] = None


class ListingIn(Schema):
    expected_version: Annotated[int, Strict(), Field(ge=1)]
    authority: Text
    deadline: date


class DualReportIn(Schema):
    expected_version: Annotated[int, Strict(), Field(ge=1)]
    to_department: Optional[date] = None
    to_congress: Optional[date] = None


# ---- public reports --------------------------------------------------------------------------

class ReportOut(RecordOut):
    tracking_code: str
    description: str
    category: choice_out(Category.choices)
    lon: float
    lat: float
    address: str
    township_id: Optional[int]
    township_name: str
    status: choice_out(PublicReport.Status.choices)
    triage_note: str
    hazard_id: Optional[int]
    created_at: datetime
    reporter_name: str = Field("", description="举报人：仅县安委办可见全文，其他角色为脱敏形式")
    reporter_phone: str = ""

    @staticmethod
    def resolve_reporter_name(obj, context):
        name = obj["reporter_name"] if isinstance(obj, dict) else obj.reporter_name
        return masking.mask_name(name)

    @staticmethod
    def resolve_reporter_phone(obj, context):
        phone = obj["reporter_phone"] if isinstance(obj, dict) else obj.reporter_phone
        return masking.mask_phone(phone)


class ReportDetail(ReportOut):
    @staticmethod
    def resolve_reporter_name(obj, context):
        return masking.reporter_for(context["request"].auth, obj.reporter_name, obj.reporter_phone)[0]

    @staticmethod
    def resolve_reporter_phone(obj, context):
        return masking.reporter_for(context["request"].auth, obj.reporter_name, obj.reporter_phone)[1]


class _ReportUpdate(Schema):
    version: Version
    category: Optional[choice_in(Category.choices)] = None


ReportUpdate = patch_schema(_ReportUpdate, PublicReport)


class ReportCreate(ReportUpdate):
    version: NotOnCreate = None
    description: MultilineText
    category: choice_in(Category.choices) = "other"
    lon: Coordinate
    lat: Coordinate
    address: Text = ""
    reporter_name: Text = ""
    reporter_phone: Text = ""


class TriageIn(Schema):
    decision: Literal["accept", "duplicate", "reject"]
    expected_version: Annotated[int, Strict(), Field(ge=1)]
    note: MultilineText = ""
    duplicate_of: Optional[Id] = None


class RewardRuleOut(RecordOut):
    grade: choice_out(Grade.choices[1:])
    amount: Decimal
    basis: str


class _RewardRuleUpdate(Schema):
    version: Version
    amount: Optional[Decimal] = None
    basis: Optional[Text] = None


RewardRuleUpdate = patch_schema(_RewardRuleUpdate, RewardRule)


class RewardRuleCreate(RewardRuleUpdate):
    version: NotOnCreate = None
    grade: choice_in(Grade.choices[1:])
    amount: Decimal


class RewardOut(RecordOut):
    report_id: int
    amount: Decimal
    status: choice_out(Reward.Status.choices)
    approved_at: Optional[datetime]
    paid_at: Optional[datetime]
    payment_reference: str


class _RewardUpdate(Schema):
    version: Version
    amount: Optional[Decimal] = None


RewardUpdate = patch_schema(_RewardUpdate, Reward)


class RewardCreate(RewardUpdate):
    version: NotOnCreate = None
    report_id: Id


class RewardDecisionIn(Schema):
    decision: Literal["approve", "decline", "pay"]
    expected_version: Annotated[int, Strict(), Field(ge=1)]
    payment_reference: Text = ""
