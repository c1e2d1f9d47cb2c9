"""REST endpoints of the assessment app under /api/v1/appraisal (accidents are a record kind:
/api/v1/accidents). Targets and progress, statistics, base figures, indicator systems, scores,
rankings, review transitions. Thin: parse, call one service or selector, return. Evidence
files go through /api/v1/attachments (owner_type assessment.progressreport / assessment.itemscore)."""
from datetime import date
from decimal import Decimal
from typing import Literal, Optional

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from citysafe.accounts.auth import changers_of
from citysafe.assessment import selectors
from citysafe.assessment.models import CountyResult, UnitResult
from citysafe.assessment.services import counties, figures, scoring, systems, targets
from citysafe.assessment.workflows import COUNTY_REVIEW, RESULT_REVIEW
from citysafe.core import scope
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import IdParam, MultilineText, Text, Version

router = Router(tags=["assessment"])  # mounted at /assessment


class TargetOut(Schema):
    id: int
    version: int
    code: str
    title: str
    source: str
    clause: str
    indicator: str
    unit: str
    direction: str
    target_value: Decimal
    start_on: date
    deadline: date
    responsible_unit: str
    responsible_org_id: Optional[int]
    current_value: Optional[Decimal]
    status: str
    status_reason: str


class TargetIn(Schema):
    code: Text
    title: Text
    indicator: Text
    target_value: Decimal = Field(ge=0)
    start_on: date
    deadline: date
    unit: Text = ""
    direction: Literal["at_least", "at_most"] = "at_least"
    clause: Text = ""
    responsible_unit: Text = ""
    responsible_org_id: Optional[int] = None


class ProgressIn(Schema):
    value: Decimal = Field(ge=0)
    reported_on: Optional[date] = None
    note: MultilineText = ""


class ProgressOut(Schema):
    id: int
    target_id: int
    reported_on: date
    value: Decimal
    note: str


def _target_out(t):
    colour, reason = targets.status_of(t)
    return {**{f: getattr(t, f) for f in TargetOut.model_fields if hasattr(t, f)}, "status": colour,
            "status_reason": reason}


@router.get("/targets", response={200: list[TargetOut], **ERRORS}, operation_id="list_policy_targets")
def list_targets(request):
    return [_target_out(t) for t in selectors.targets(request.auth)]


@router.post("/targets", response={201: TargetOut, **ERRORS}, operation_id="create_policy_target")
def create_target(request, payload: TargetIn):
    data = payload.model_dump(exclude={"responsible_org_id"})
    return 201, _target_out(targets.create_target(request.auth, data, responsible_org_id=payload.responsible_org_id))


@router.get("/targets/{int:record_id}", response={200: TargetOut, **ERRORS}, operation_id="get_policy_target")
def get_target(request, record_id: IdParam):
    return _target_out(scope.get_in_scope(request.auth, selectors.targets(request.auth), record_id))


@router.post("/targets/{int:record_id}/progress", response={201: ProgressOut, **ERRORS}, operation_id="report_progress")
def report(request, record_id: IdParam, payload: ProgressIn):
    return 201, targets.report_progress(request.auth, record_id, value=payload.value, reported_on=payload.reported_on,
                                        note=payload.note)


class YearOut(Schema):
    year: int
    accidents: int
    deaths: int
    injuries: int
    loss: float
    deaths_by_kind: dict[str, int]
    deaths_per_100m_gdp: Optional[float]
    road_deaths_per_10k_vehicles: Optional[float]
    fire_deaths_per_100k_people: Optional[float]


@router.get("/statistics", response={200: list[YearOut], **ERRORS}, operation_id="accident_statistics")
def statistics(request):
    return [{**row, **vars(row["indicators"])} for row in selectors.yearly(request.auth)]


class FigureIn(Schema):
    gdp_yi: Decimal = Field(gt=0)
    vehicles_wan: Decimal = Field(gt=0)
    population: int = Field(gt=0)


@router.put("/base-figures/{int:year}", response={200: dict, **ERRORS}, operation_id="save_base_figure")
def save_figure(request, year: int, payload: FigureIn):
    figure = figures.save_base_figure(request.auth, year=year, **payload.model_dump())
    return {"year": figure.year, "version": figure.version}


class IndicatorIn(Schema):
    code: Text
    name: Text
    weight: Decimal
    category: Literal["process", "result"] = "process"
    metric: str = ""
    full_at: Decimal = Decimal(1)
    zero_at: Decimal = Decimal(0)
    rule: MultilineText = ""


class SystemIn(Schema):
    year: int
    unit_kind: Literal["township", "department", "county"]
    title: Text
    total: Decimal = Decimal(100)
    veto_deaths: int = Field(3, ge=1)
    indicators: list[IndicatorIn]


class SystemOut(Schema):
    id: int
    year: int
    unit_kind: str
    title: str
    total: Decimal


@router.post("/systems", response={201: SystemOut, **ERRORS}, operation_id="create_indicator_system")
def create_system(request, payload: SystemIn):
    data = payload.model_dump()
    return 201, systems.create_indicator_system(request.auth, indicators=data.pop("indicators"), **data)


@router.post("/systems/{int:record_id}/score", response={200: dict, **ERRORS}, operation_id="score_indicator_system")
def score(request, record_id: IdParam):
    return {"units": scoring.score_system(request.auth, record_id)}


class RankOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    score: Decimal
    rank: Optional[int]
    grade: str
    vetoed: bool
    veto_reason: str
    status: str
    version: int


@router.get("/systems/{int:record_id}/ranking", response={200: list[RankOut], **ERRORS}, operation_id="ranking")
def ranking(request, record_id: IdParam):
    get_object_or_404(selectors.systems(request.auth), pk=record_id)
    return [{**{f: getattr(r, f) for f in RankOut.model_fields if hasattr(r, f)},
             "organisation_name": r.organisation.name} for r in selectors.results(request.auth, record_id)]


class ItemOut(Schema):
    id: int
    code: str
    name: str
    weight: Decimal
    automatic: bool
    score: Optional[Decimal]
    numerator: Optional[int]
    denominator: Optional[int]
    evidence_note: str


@router.get("/results/{int:record_id}/items", response={200: list[ItemOut], **ERRORS}, operation_id="result_items")
def items(request, record_id: IdParam):
    result = scope.get_in_scope(request.auth, UnitResult.objects.all(), record_id)
    return [{"id": s.pk, "code": s.indicator.code, "name": s.indicator.name, "weight": s.indicator.weight,
             "automatic": bool(s.indicator.metric), "score": s.score, "numerator": s.numerator,
             "denominator": s.denominator, "evidence_note": s.evidence_note}
            for s in result.items.select_related("indicator").order_by("indicator__code")]


class ScoreIn(Schema):
    score: Decimal
    note: MultilineText = ""


@router.put("/items/{int:record_id}/score", response={200: dict, **ERRORS}, operation_id="set_item_score")
def set_score(request, record_id: IdParam, payload: ScoreIn):
    item = scoring.set_item_score(request.auth, record_id, score=payload.score, note=payload.note)
    return {"id": item.pk, "score": str(item.score)}


class TransitionIn(Schema):
    name: Literal["submit", "approve", "return"]
    version: Version
    note: MultilineText = ""


@router.post("/results/{int:record_id}/transitions", response={200: dict, **ERRORS}, operation_id="review_result",
             auth=changers_of(UnitResult))
def transition(request, record_id: IdParam, payload: TransitionIn):
    result = RESULT_REVIEW.apply(request.auth, UnitResult, record_id, payload.name, expected_version=payload.version,
                                 note=payload.note)
    return {"id": result.pk, "status": result.status, "version": result.version}


# ---- the prefecture's assessment of its counties (services/counties.py) ------------------

class CountyRankOut(Schema):
    id: int
    county_id: int
    county_name: str
    score: Decimal
    rank: Optional[int]
    grade: str
    status: str
    version: int


@router.post("/county-systems/{int:record_id}/score", response={200: dict, **ERRORS}, operation_id="score_counties")
def score_counties(request, record_id: IdParam):
    return {"counties": counties.score_counties(request.auth, record_id)}


@router.get("/county-systems/{int:record_id}/ranking", response={200: list[CountyRankOut], **ERRORS},
            operation_id="county_ranking")
def county_ranking(request, record_id: IdParam):
    get_object_or_404(selectors.systems(request.auth), pk=record_id)
    return [{"id": r.pk, "county_id": r.county_id, "county_name": r.county.name, "score": r.score, "rank": r.rank,
             "grade": r.grade, "status": r.status, "version": r.version}
            for r in counties.results(request.auth, record_id)]


@router.put("/county-items/{int:record_id}/score", response={200: dict, **ERRORS}, operation_id="set_county_item")
def set_county_item(request, record_id: IdParam, payload: ScoreIn):
    item = counties.set_county_item(request.auth, record_id, score=payload.score, note=payload.note)
    return {"id": item.pk, "score": str(item.score)}


class CountyTransitionIn(Schema):
    name: Literal["submit", "publish", "return"]
    version: Version
    note: MultilineText = ""


@router.post("/county-results/{int:record_id}/transitions", response={200: dict, **ERRORS}, auth=changers_of(CountyResult),
             operation_id="review_county_result")
def county_transition(request, record_id: IdParam, payload: CountyTransitionIn):
    result = COUNTY_REVIEW.apply(request.auth, CountyResult, record_id, payload.name,
                                 expected_version=payload.version, note=payload.note)
    return {"id": result.pk, "status": result.status, "version": result.version}

