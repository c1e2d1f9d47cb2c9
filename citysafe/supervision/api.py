"""/api/v1/supervision: classes (compute, override), the rule, plans with progress, the
inspector roster and relations, draws (run, read, verify), and the public list of draws
(without sign-in). Scoped: a department sees its own plans, roster and draws. Thin."""
from datetime import date, datetime
from typing import Annotated, Any, Literal, Optional

from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from citysafe.core import keyset, scope
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import IdParam, MultilineText, Text, Version
from citysafe.supervision import selectors
from citysafe.supervision.models import EnterpriseClass, Inspector, Qualification, SupervisionClass
from citysafe.supervision.services import classification, draws, plans, roster

supervision_router = Router(tags=["supervision"])

ClassName = Literal[tuple(SupervisionClass.values)]
QualificationName = Literal[tuple(Qualification.values)]


class ClassOut(Schema):
    id: int
    version: int
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    year: int
    computed_class: str
    manual_class: str
    final_class: str
    score: float
    facts: dict[str, Any]
    parts: dict[str, Any]
    override_reason: str


class ClassPage(Schema):
    count: int
    next: Optional[str] = Field(None, description="下一页的地址（带 cursor 游标）；最后一页为null")
    items: list[ClassOut]


class ClassQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    final_class: Optional[ClassName] = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9, description=keyset.OFFSET_HELP)
    cursor: str = Field("", max_length=2000, description=keyset.CURSOR_HELP)


class ComputeIn(Schema):
    year: int = Field(..., ge=2000, le=2100)


class OverrideIn(Schema):
    version: Version
    manual_class: Literal["", "A", "B", "C", "D"]
    reason: MultilineText = ""


class RuleOut(Schema):
    rule: dict[str, Any]
    record_years: int
    version: int


class RuleIn(Schema):
    rule: dict[str, Any] = Field(default_factory=dict)
    record_years: Optional[int] = Field(None, ge=1, le=10)


@supervision_router.get("/classes", response={200: ClassPage, **ERRORS}, operation_id="list_enterprise_classes")
def list_classes(request, query: Query[ClassQuery]):
    rows = selectors.classes_for(request.auth, year=query.year, final_class=query.final_class)
    items, token = keyset.page(rows, cursor=query.cursor, offset=query.offset, limit=query.limit)
    return {"count": rows.count(), "next": keyset.next_link(request, token), "items": items}


@supervision_router.post("/classes/compute", response={200: dict[str, Any], **ERRORS},
                         operation_id="compute_enterprise_classes",
                         summary="classify every enterprise in the caller's scope for a year by the current rule")
def compute_classes(request, payload: ComputeIn):
    return classification.classify_enterprises(request.auth, payload.year)


@supervision_router.post("/classes/{int:record_id}/override", response={200: ClassOut, **ERRORS},
                         operation_id="override_enterprise_class", summary="set a class by hand, with a reason")
def override(request, record_id: IdParam, payload: OverrideIn):
    classification.override_class(request.auth, record_id, payload.manual_class, payload.reason,
                                  expected_version=payload.version)
    return scope.get_in_scope(request.auth, EnterpriseClass.objects.select_related("enterprise"), record_id)


@supervision_router.get("/rule", response={200: RuleOut, **ERRORS}, operation_id="get_classification_rule")
def get_rule(request):
    return classification.current_rule()


@supervision_router.put("/rule", response={200: RuleOut, **ERRORS}, operation_id="update_classification_rule")
def put_rule(request, payload: RuleIn):
    return classification.update_rule(request.auth, payload.rule, payload.record_years)


class PlanOut(Schema):
    id: int
    version: int
    department_id: int
    department_name: str = Field(..., alias="department.name")
    year: int
    frequencies: dict[str, int]
    created_at: datetime


class PlanDetail(PlanOut):
    progress: dict[str, Any]


class PlanIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    department_id: Optional[IdParam] = None
    frequencies: dict[ClassName, Annotated[int, Field(ge=0, le=12)]] = Field(default_factory=dict)


class FrequenciesIn(Schema):
    version: Version
    frequencies: dict[ClassName, Annotated[int, Field(ge=0, le=12)]]


def _plan_detail(user, pk):
    plan = scope.get_in_scope(user, selectors.plans_for(user), pk)
    plan.progress = selectors.plan_progress(plan)
    return plan


@supervision_router.get("/plans", response={200: list[PlanOut], **ERRORS}, operation_id="list_enforcement_plans")
def list_plans(request):
    return list(selectors.plans_for(request.auth))


@supervision_router.post("/plans", response={201: PlanDetail, **ERRORS}, operation_id="create_enforcement_plan")
def create_plan(request, payload: PlanIn):
    plan = plans.create_plan(request.auth, year=payload.year, department_id=payload.department_id,
                             frequencies=payload.frequencies)
    return Status(201, _plan_detail(request.auth, plan.pk))


@supervision_router.get("/plans/{int:record_id}", response={200: PlanDetail, **ERRORS},
                        operation_id="get_enforcement_plan", summary="a plan with its progress by month and class")
def get_plan(request, record_id: IdParam):
    return _plan_detail(request.auth, record_id)


@supervision_router.post("/plans/{int:record_id}/frequencies", response={200: PlanDetail, **ERRORS},
                         operation_id="change_plan_frequencies")
def change_frequencies(request, record_id: IdParam, payload: FrequenciesIn):
    plans.change_frequencies(request.auth, record_id, payload.frequencies, expected_version=payload.version)
    return _plan_detail(request.auth, record_id)


class InspectorOut(Schema):
    id: int
    user_id: int
    department_id: int
    name: str
    phone: str
    qualification: str
    certificate_number: str


class InspectorIn(Schema):
    user_id: IdParam
    qualification: QualificationName
    certificate_number: Text
    phone: Text = ""
    department_id: Optional[IdParam] = None


class LinkIn(Schema):
    enterprise_id: IdParam
    relation: Literal["kin", "former_employee", "interest"]
    note: Text = ""


class LinkOut(Schema):
    id: int
    inspector_id: int
    enterprise_id: int
    relation: str
    note: str


@supervision_router.get("/inspectors", response={200: list[InspectorOut], **ERRORS}, operation_id="list_inspectors")
def list_inspectors(request):
    return list(scope.narrow(request.auth, Inspector.objects.all()).order_by("id"))


@supervision_router.post("/inspectors", response={201: InspectorOut, **ERRORS}, operation_id="add_inspector")
def add_inspector(request, payload: InspectorIn):
    return Status(201, roster.add_inspector(request.auth, **payload.model_dump()))


@supervision_router.post("/inspectors/{int:record_id}/links", response={201: LinkOut, **ERRORS},
                         operation_id="link_inspector", summary="register a relation: never drawn for that enterprise")
def link(request, record_id: IdParam, payload: LinkIn):
    return Status(201, roster.link_inspector(request.auth, inspector_id=record_id, **payload.model_dump()))


class DrawIn(Schema):
    title: Text
    year: int = Field(..., ge=2000, le=2100)
    classes: list[ClassName] = Field(..., min_length=1)
    township_ids: list[IdParam] = Field(default_factory=list, max_length=100)
    required_qualification: QualificationName
    targets: int = Field(..., ge=1, le=100_000)
    due_on: date
    department_id: Optional[IdParam] = None
    seed: Optional[int] = Field(None, ge=0, le=2 ** 63 - 1, description="left out: a fresh random seed")


class DrawOut(Schema):
    id: int
    number: str
    title: str
    department_id: int
    department_name: str = Field(..., alias="department.name")
    year: int
    classes: list[str]
    township_ids: list[int]
    required_qualification: str
    targets: int
    seed: int
    due_on: date
    drawn_at: datetime
    result: list[dict[str, Any]]


class DrawDetail(DrawOut):
    inputs: dict[str, Any]
    rows: list[dict[str, Any]]


class VerifyOut(Schema):
    same: bool
    seed: int
    inputs_sha256: str
    result: list[dict[str, Any]]


class PublicDrawOut(Schema):
    number: str
    title: str
    department_name: str
    drawn_at: datetime
    due_on: date
    seed: int
    rows: list[dict[str, Any]]


def _draw_detail(user, pk):
    record = scope.get_in_scope(user, selectors.draws_for(user), pk)
    record.rows = selectors.draw_rows(record, public=False)
    return record


@supervision_router.get("/draws", response={200: list[DrawOut], **ERRORS}, operation_id="list_random_draws")
def list_draws(request, response: HttpResponse, limit: int = Query(50, ge=1, le=500),
               offset: int = Query(0, ge=0, le=10**9, description=keyset.OFFSET_HELP),
               cursor: str = Query("", max_length=2000, description=keyset.CURSOR_HELP)):
    items, token = keyset.page(selectors.draws_for(request.auth), cursor=cursor, offset=offset, limit=limit)
    keyset.link_header(response, request, token)
    return items


@supervision_router.post("/draws", response={201: DrawDetail, **ERRORS}, operation_id="run_random_draw",
                         summary="draw targets and inspector pairs; the seed and every input are recorded")
def run_draw(request, payload: DrawIn):
    record = draws.run_draw(request.auth, **payload.model_dump())
    return Status(201, _draw_detail(request.auth, record.pk))


@supervision_router.get("/draws/{int:record_id}", response={200: DrawDetail, **ERRORS}, operation_id="get_random_draw")
def get_draw(request, record_id: IdParam):
    return _draw_detail(request.auth, record_id)


@supervision_router.get("/draws/{int:record_id}/verify", response={200: VerifyOut, **ERRORS},
                        operation_id="verify_random_draw", summary="re-run the draw from its record")
def verify(request, record_id: IdParam):
    return draws.verify_draw(scope.get_in_scope(request.auth, selectors.draws_for(request.auth), record_id))


@supervision_router.get("/public/draws", response={200: list[PublicDrawOut], **ERRORS}, auth=None,
                        operation_id="list_public_random_draws", summary="一公开: draws and results, without sign-in")
def public_list(request, response: HttpResponse, limit: int = Query(20, ge=1, le=100),
                offset: int = Query(0, ge=0, le=10**9, description=keyset.OFFSET_HELP),
                cursor: str = Query("", max_length=2000, description=keyset.CURSOR_HELP)):
    draws_page, token = keyset.page(selectors.public_draws(), cursor=cursor, offset=offset, limit=limit)
    keyset.link_header(response, request, token)
    return [{"number": d.number, "title": d.title, "department_name": d.department.name, "drawn_at": d.drawn_at,
             "due_on": d.due_on, "seed": d.seed, "rows": selectors.draw_rows(d, public=True)}
            for d in draws_page]
