"""The siting API beside the rule table's generic router (/api/v1/safety-distance-rules):
conflicts (/api/v1/conflicts: scoped list and read, accept, to a hazard, recompute) and site
checks (/api/v1/site-checks: run and save, list, read). Thin: parse, call one service or
selector, return."""
from datetime import datetime
from typing import Any, Literal, Optional

from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from citysafe.core import keyset, scope
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import IdParam, MultilineText, Text
from citysafe.siting import selectors
from citysafe.siting.models import ConflictStatus, HazardousKind, SafetyDistanceRule, SensitiveKind
from citysafe.siting.services import conflicts as services
from citysafe.siting.services.site_check import check_site

conflict_router = Router(tags=["conflicts"])      # mounted at /conflicts
site_check_router = Router(tags=["site-checks"])  # mounted at /site-checks


class ConflictOut(Schema):
    id: int
    hazardous_ref: str
    hazardous_kind: str
    hazardous_name: str
    hazardous_lon: float
    hazardous_lat: float
    sensitive_ref: str
    sensitive_kind: str
    sensitive_name: str
    sensitive_lon: float
    sensitive_lat: float
    distance_m: float
    required_m: float
    shortfall_m: float
    standard: str = Field(..., alias="rule.standard")
    clause: str = Field(..., alias="rule.clause")
    township_id: int
    industry_id: Optional[int]
    status: str
    accepted_reason: str
    approver: str
    hazard_id: Optional[int]
    is_current: bool


class ConflictPage(Schema):
    count: int
    next: Optional[str] = Field(None, description="下一页的地址（带 cursor 游标）；最后一页为null")
    items: list[ConflictOut]


class ConflictQuery(Schema):
    township_id: Optional[int] = None
    industry_id: Optional[int] = None
    status: Optional[Literal[tuple(ConflictStatus.values)]] = None
    hazardous_kind: Optional[Literal[tuple(HazardousKind.values)]] = None
    sensitive_kind: Optional[Literal[tuple(SensitiveKind.values)]] = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9, description=keyset.OFFSET_HELP)
    cursor: str = Field("", max_length=2000, description=keyset.CURSOR_HELP)


class AcceptIn(Schema):
    reason: MultilineText
    approver: Text


class HazardOut(Schema):
    hazard_id: int
    code: Optional[str]


class RecomputeOut(Schema):
    current: int
    new: int
    resolved: int


@conflict_router.get("", response={200: ConflictPage, **ERRORS}, operation_id="list_conflicts",
                     summary="safety-distance conflicts in the caller's scope, worst shortfall first")
def list_conflicts(request, query: Query[ConflictQuery]):
    filters = {k: v for k, v in query.model_dump().items()
               if v is not None and k not in ("limit", "offset", "cursor")}
    rows = selectors.conflicts_for(request.auth, filters)
    items, token = keyset.page(rows, cursor=query.cursor, offset=query.offset, limit=query.limit)
    return {"count": rows.count(), "next": keyset.next_link(request, token), "items": items}


@conflict_router.get("/{int:record_id}", response={200: ConflictOut, **ERRORS}, operation_id="get_conflict")
def get_conflict(request, record_id: IdParam):
    return selectors.conflict_for(request.auth, record_id)


@conflict_router.post("/{int:record_id}/accept", response={200: ConflictOut, **ERRORS}, operation_id="accept_conflict",
                      summary="accept a conflict with a reason and the approving official")
def accept(request, record_id: IdParam, payload: AcceptIn):
    services.accept_conflict(request.auth, record_id, reason=payload.reason, approver=payload.approver)
    return selectors.conflict_for(request.auth, record_id)


@conflict_router.post("/{int:record_id}/hazard", response={201: HazardOut, **ERRORS},
                      operation_id="conflict_to_hazard", summary="register the conflict as a hazard (issue 8's loop)")
def to_hazard(request, record_id: IdParam):
    hazard = services.conflict_to_hazard(request.auth, record_id)
    return Status(201, {"hazard_id": hazard.pk, "code": hazard.code})


@conflict_router.post("/recompute", response={200: RecomputeOut, **ERRORS}, operation_id="recompute_conflicts",
                      summary="re-run the analysis now (it also runs after every change and nightly)")
def recompute(request):
    scope.require(request.auth, SafetyDistanceRule, scope.Action.CHANGE)
    return services.recompute_conflicts(note=f"api:{request.auth.pk}")


class SiteCheckIn(Schema):
    project_name: Text
    kind: str = Field(..., description="a hazardous or sensitive kind of the rule table, e.g. school, gas_station")
    geometry: dict[str, Any] = Field(..., description="GeoJSON Point or Polygon, WGS84 lon/lat")


class SiteCheckOut(Schema):
    id: int
    number: str
    project_name: str
    kind: str
    geometry: dict[str, Any]
    lon: float
    lat: float
    verdict: str
    result: dict[str, Any]
    township_id: Optional[int]
    created_at: datetime


@site_check_router.post("", response={201: SiteCheckOut, **ERRORS}, operation_id="create_site_check",
                        summary="check a proposed project's site and save the result with a number")
def create_site_check(request, payload: SiteCheckIn):
    check = check_site(request.auth, project_name=payload.project_name, kind=payload.kind, geometry=payload.geometry)
    return Status(201, check)


@site_check_router.get("", response={200: list[SiteCheckOut], **ERRORS}, operation_id="list_site_checks")
def list_site_checks(request, response: HttpResponse, limit: int = Query(50, ge=1, le=500),
                     offset: int = Query(0, ge=0, le=10**9, description=keyset.OFFSET_HELP),
                     cursor: str = Query("", max_length=2000, description=keyset.CURSOR_HELP)):
    items, token = keyset.page(selectors.site_checks_for(request.auth), cursor=cursor, offset=offset, limit=limit)
    keyset.link_header(response, request, token)
    return items


@site_check_router.get("/{int:record_id}", response={200: SiteCheckOut, **ERRORS}, operation_id="get_site_check")
def get_site_check(request, record_id: IdParam):
    return selectors.site_check_for(request.auth, record_id)
