"""API shapes of the risk record kinds (core.kinds builds the routers from kinds.py)."""
from datetime import date
from typing import Annotated, Any, Optional

from ninja import Field, Schema
from pydantic import StrictBool

from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import GeoJSON, Id, MultilineText, NotOnCreate, Text, Version, choice_in, choice_out
from citysafe.risks.models import (
    AccidentType,
    Assessment,
    ControlLevel,
    ControlMeasure,
    Inventory,
    MajorHazardInstallation,
    Method,
    RiskPoint,
    Substance,
)

Level = Annotated[int, Field(ge=1, le=4, strict=True, description="风险等级：1重大 2较大 3一般 4低")]
Tonnes = Annotated[float, Field(allow_inf_nan=False, description="吨")]


class RecordOut(Schema):
    id: int
    version: int


# ---- risk points -------------------------------------------------------------------------

class RiskPointOut(RecordOut):
    name: str
    category: choice_out(RiskPoint.Category.choices)
    description: str
    enterprise_id: Optional[int]
    enterprise_name: str
    place_id: Optional[int]
    place_name: str
    area_id: Optional[int]
    area_name: str
    hazard_factors: list[str]
    accident_types: list[choice_out(AccidentType.choices)]
    lon: Optional[float]
    lat: Optional[float]
    township_id: Optional[int]
    township_name: str
    village_id: Optional[int]
    grid_id: Optional[int]
    grid_name: str
    industry_id: Optional[int]
    industry_name: str
    owner_enterprise_id: Optional[int]
    level: int = Field(..., description="风险等级：0未评估 1重大 2较大 3一般 4低")
    assessed_level: int
    level_basis: str
    level_assessment_id: Optional[int]
    assessed_on: Optional[date]
    control_level: str
    reassess_due: Optional[date]
    is_sensitive: bool


class RiskPointDetail(RiskPointOut):
    geometry: Optional[GeoJSON]
    responsible_person_ids: list[int]

    @staticmethod
    def resolve_responsible_person_ids(obj):
        return sorted(p.pk for p in obj.responsible_persons.all())


class _RiskPointUpdate(Schema):
    version: Version
    name: Optional[Text] = None
    category: Optional[choice_in(RiskPoint.Category.choices)] = None
    description: Optional[MultilineText] = None
    enterprise_id: Optional[Id] = None
    place_id: Optional[Id] = None
    area_id: Optional[Id] = None
    hazard_factors: Optional[list[Text]] = None
    accident_types: Optional[list[choice_in(AccidentType.choices)]] = None
    responsible_person_ids: Optional[list[Id]] = None
    control_level: Optional[choice_in(ControlLevel.choices)] = None
    is_sensitive: Optional[StrictBool] = Field(None, description="公开版风险地图不显示（仅县安委办管理员可设）")


RiskPointUpdate = patch_schema(_RiskPointUpdate, RiskPoint)


class RiskPointCreate(RiskPointUpdate):
    version: NotOnCreate = None
    name: Text


# ---- assessments -------------------------------------------------------------------------

class AssessmentOut(RecordOut):
    risk_point_id: int
    risk_point_name: str
    method: choice_out(Method.choices)
    inputs: dict[str, Any]
    score: Optional[float]
    level: int
    reason: str
    assessor_id: Optional[int]
    assessor_role: str
    assessed_on: date
    status: choice_out(Assessment.Status.choices)
    reviewer_id: Optional[int]
    review_note: str


class _AssessmentUpdate(Schema):
    version: Version
    method: Optional[choice_in(Method.choices)] = None
    inputs: Optional[dict[str, Any]] = Field(None, description="因素取值，如 LEC：{\"l\": 3, \"e\": 6, \"c\": 15}")
    level: Optional[Level] = Field(None, description="仅直接判定时填写")
    reason: Optional[MultilineText] = None
    assessed_on: Optional[date] = None


AssessmentUpdate = patch_schema(_AssessmentUpdate, Assessment)


class AssessmentCreate(AssessmentUpdate):
    version: NotOnCreate = None
    risk_point_id: Id
    method: choice_in(Method.choices)


class PointAssessmentCreate(AssessmentUpdate):
    """POST /risk-points/{id}/assessments: the risk point comes from the path."""

    version: NotOnCreate = None
    method: choice_in(Method.choices)


class TransitionIn(Schema):
    version: Version
    note: Optional[MultilineText] = ""


# ---- control measures --------------------------------------------------------------------

class MeasureOut(RecordOut):
    risk_point_id: int
    risk_point_name: str
    kind: choice_out(ControlMeasure.Kind.choices)
    description: str
    responsible_person_id: Optional[int]
    responsible_person_name: str
    control_level: str


class _MeasureUpdate(Schema):
    version: Version
    kind: Optional[choice_in(ControlMeasure.Kind.choices)] = None
    description: Optional[MultilineText] = None
    responsible_person_id: Optional[Id] = None
    control_level: Optional[choice_in(ControlLevel.choices)] = None


MeasureUpdate = patch_schema(_MeasureUpdate, ControlMeasure)


class MeasureCreate(MeasureUpdate):
    version: NotOnCreate = None
    risk_point_id: Id
    kind: choice_in(ControlMeasure.Kind.choices)
    description: MultilineText


# ---- substances, units, inventories --------------------------------------------------------

class SubstanceOut(RecordOut):
    name: str
    cas: str
    hazard_class: str
    critical_quantity: float
    beta: float
    source: str


class _SubstanceUpdate(Schema):
    version: Version
    name: Optional[Text] = None
    cas: Optional[Text] = None
    hazard_class: Optional[Text] = None
    critical_quantity: Optional[Tonnes] = None
    beta: Optional[Annotated[float, Field(allow_inf_nan=False)]] = None
    source: Optional[Text] = None


SubstanceUpdate = patch_schema(_SubstanceUpdate, Substance)


class SubstanceCreate(SubstanceUpdate):
    version: NotOnCreate = None
    name: Text
    critical_quantity: Tonnes


class InstallationOut(RecordOut):
    unit_name: str
    enterprise_id: int
    enterprise_name: str
    lon: float
    lat: float
    township_id: Optional[int]
    township_name: str
    grid_id: Optional[int]
    alpha_source: choice_out(MajorHazardInstallation.AlphaSource.choices)
    alpha_entered: Optional[float]
    alpha_reason: str
    people_nearby: int
    alpha: float
    s_value: float
    r_value: float
    is_major: bool
    grade: int = Field(..., description="重大危险源级别：0未构成 1一级 2二级 3三级 4四级")
    risk_point_id: Optional[int]
    is_sensitive: bool


class _InstallationUpdate(Schema):
    version: Version
    unit_name: Optional[Text] = None
    enterprise_id: Optional[Id] = None
    lon: Optional[Annotated[float, Field(allow_inf_nan=False)]] = None
    lat: Optional[Annotated[float, Field(allow_inf_nan=False)]] = None
    geometry: Optional[GeoJSON] = None
    alpha_source: Optional[choice_in(MajorHazardInstallation.AlphaSource.choices)] = None
    alpha_entered: Optional[Annotated[float, Field(allow_inf_nan=False)]] = None
    alpha_reason: Optional[MultilineText] = None
    is_sensitive: Optional[StrictBool] = Field(None, description="公开版风险地图不显示（仅县安委办管理员可设）")


InstallationUpdate = patch_schema(_InstallationUpdate, MajorHazardInstallation)


class InstallationCreate(InstallationUpdate):
    version: NotOnCreate = None
    unit_name: Text
    enterprise_id: Id


class InventoryOut(RecordOut):
    installation_id: int
    substance_id: int
    substance_name: str
    max_quantity: float


class _InventoryUpdate(Schema):
    version: Version
    installation_id: Optional[Id] = None
    substance_id: Optional[Id] = None
    max_quantity: Optional[Annotated[float, Field(allow_inf_nan=False)]] = None


InventoryUpdate = patch_schema(_InventoryUpdate, Inventory)


class InventoryCreate(InventoryUpdate):
    version: NotOnCreate = None
    installation_id: Id
    substance_id: Id
    max_quantity: Annotated[float, Field(allow_inf_nan=False)]
