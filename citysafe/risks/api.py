"""The risks app's own endpoints beside the generic record routers (core.kinds.api, built
from kinds.py): assessing a risk point by its path, the review transitions, area levels as
JSON and GeoJSON (for the map), and the grading thresholds (admin changes re-grade)."""
from typing import Annotated, Literal, Optional

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import Strict

from citysafe.accounts.auth import api_token_auth, changers_of, session_auth
from citysafe.core import scope
from citysafe.core.kinds.api import ERRORS, checked, read_one
from citysafe.core.kinds.types import IdParam, MultilineText, Text, Version
from citysafe.core.schema_types import ErrorOut
from citysafe.risks import schemas as s
from citysafe.risks import services
from citysafe.risks.kinds import ASSESSMENTS
from citysafe.risks.models import Assessment, MethodThreshold, RiskPoint
from citysafe.risks.selectors.area_levels import area_level_geojson, area_level_rows

risk_point_router = Router(tags=["risk-points"])      # mounted at /risk-points
assessment_router = Router(tags=["assessments"])      # mounted at /assessments
area_level_router = Router(tags=["area-levels"])      # mounted at /area-levels
threshold_router = Router(tags=["risk-thresholds"])   # mounted at /risk-thresholds


def _assessor_check(user, request):
    """What assess_risk_point checks, in its order, before the body is read: the risk point in
    the caller's scope (404), then the role may create assessments (403)."""
    scope.get_in_scope(user, RiskPoint.objects.all(), request.resolver_match.kwargs["record_id"])
    scope.require(user, Assessment, scope.Action.CREATE)


@risk_point_router.post("/{int:record_id}/assessments", response={201: s.AssessmentOut, **ERRORS},
                        auth=[checked(callback, _assessor_check) for callback in (api_token_auth, session_auth)],
                        operation_id="assess_risk_point", summary="assess a risk point (a draft; submit or confirm next)")
def assess_risk_point(request, record_id: IdParam, payload: s.PointAssessmentCreate):
    created = services.assess_risk_point(request.auth, record_id, payload.model_dump(exclude_unset=True))
    return 201, read_one(request, ASSESSMENTS, created.pk)


class AssessmentTransitionIn(Schema):
    transition: Literal["submit", "accept", "return", "confirm"] = Field(
        ..., description="submit 提交审核 / accept 审核通过 / return 退回（须说明） / confirm 直接生效（按审核规则表）")
    expected_version: Annotated[int, Strict(), Field(ge=1)] = Field(..., description="读取评估时的版本号")
    note: MultilineText = ""


@assessment_router.post("/{int:record_id}/transitions", response={200: s.AssessmentOut, 409: ErrorOut, **ERRORS},
                        auth=changers_of(Assessment),
                        operation_id="transition_assessment", summary="submit / accept / return / confirm an assessment")
def transition_assessment(request, record_id: IdParam, payload: AssessmentTransitionIn):
    services.transition_assessment(request.auth, record_id, payload.transition,
                                   expected_version=payload.expected_version, note=payload.note)
    return read_one(request, ASSESSMENTS, record_id)


class AreaLevelQuery(Schema):
    area_level: Optional[Literal["county", "township", "village", "grid"]] = None
    township_id: Optional[IdParam] = None


class AreaLevelOut(Schema):
    area_id: int
    area_code: str
    area_name: str
    area_level: str
    township_id: Optional[int]
    parent_id: Optional[int]
    level: int = Field(..., description="区域内风险点的最高等级：0无 1重大 2较大 3一般 4低")
    counts: dict[str, int] = Field(..., description="各等级风险点数：major/significant/general/low")
    raised_level: int
    raise_reason: str
    effective_level: int = Field(..., description="当前等级（含临时提级）")
    colour: str
    updated_at: Optional[str]


@area_level_router.get("", response={200: list[AreaLevelOut], **ERRORS}, operation_id="list_area_levels",
                       summary="risk level of every visible area (highest level, counts, raise)")
def list_area_levels(request, query: AreaLevelQuery = Query(...)):
    return area_level_rows(request.auth, **query.model_dump())


@area_level_router.get("/geojson", response={200: dict, **ERRORS}, operation_id="area_levels_geojson",
                       summary="area levels as a GeoJSON FeatureCollection (outlines + level properties)")
def area_levels_geojson(request, query: AreaLevelQuery = Query(...)):
    return HttpResponse(area_level_geojson(request.auth, **query.model_dump()),
                        content_type="application/geo+json; charset=utf-8")


class ThresholdOut(Schema):
    id: int
    version: int
    method: str
    level: int
    lower_bound: float
    source: str


class ThresholdChangeIn(Schema):
    version: Version
    lower_bound: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    source: Optional[Text] = None


class ThresholdChangeOut(Schema):
    threshold: ThresholdOut
    regraded: int = Field(..., description="重新定级的风险点数")


@threshold_router.get("", response={200: list[ThresholdOut], **ERRORS}, operation_id="list_risk_thresholds")
def list_thresholds(request):
    return list(MethodThreshold.objects.all())


@threshold_router.patch("/{int:record_id}", response={200: ThresholdChangeOut, 409: ErrorOut, **ERRORS},
                        operation_id="change_risk_threshold", summary="change a level threshold (admin; re-grades)")
def change_threshold(request, record_id: IdParam, payload: ThresholdChangeIn):
    from citysafe.risks.services.rules_admin import change_threshold as change

    result = change(request.auth, record_id, payload.lower_bound, expected_version=payload.version,
                    source=payload.source)
    return {"threshold": result.threshold, "regraded": result.regraded}
