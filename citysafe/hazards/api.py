"""The hazards app's endpoints beside the generic record routers (core.kinds.api): the loop's
transitions, the major hazard's plan, listing and dual report, a hazard fixed on the spot
(multipart with photos), triage of public reports and reward decisions. Thin: parse, call one
service, return the record through the kind's scoped read."""
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from citysafe.accounts.auth import changers_of
from citysafe.core.kinds.api import ERRORS, read_one
from citysafe.core.kinds.types import IdParam, MultilineText
from citysafe.core.schema_types import ErrorOut
from citysafe.hazards import schemas as s
from citysafe.hazards.kinds import HAZARDS, REPORTS, REWARDS
from citysafe.hazards.services import hazards, reports

hazard_router = Router(tags=["hazards"])          # mounted at /hazards
report_router = Router(tags=["public-reports"])   # mounted at /public-reports
reward_router = Router(tags=["rewards"])          # mounted at /rewards
CONFLICT = {409: ErrorOut, **ERRORS}


@hazard_router.post("/{int:record_id}/transitions", response={200: s.HazardDetail, **CONFLICT},
                    auth=changers_of(HAZARDS.model),
                    operation_id="transition_hazard", summary="take one step of the closed loop")
def transition_hazard(request, record_id: IdParam, payload: s.HazardTransitionIn):
    hazards.transition_hazard(request.auth, record_id, payload.transition, expected_version=payload.expected_version,
                              note=payload.note, payload=payload.payload, attachments=payload.attachments)
    return read_one(request, HAZARDS, record_id)


@hazard_router.post("/{int:record_id}/plan", response={200: s.HazardDetail, **CONFLICT},
                    operation_id="save_hazard_plan", summary="major hazard: rectification plan (five in place)")
def save_plan(request, record_id: IdParam, payload: s.PlanIn):
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("expected_version")
    hazards.save_rectification_plan(request.auth, record_id, data, expected_version=version)
    return read_one(request, HAZARDS, record_id)


@hazard_router.post("/{int:record_id}/listing", response={200: s.HazardDetail, **CONFLICT},
                    operation_id="list_hazard_for_supervision", summary="major hazard: listed supervision (挂牌督办)")
def list_hazard(request, record_id: IdParam, payload: s.ListingIn):
    hazards.list_for_supervision(request.auth, record_id, authority=payload.authority, deadline=payload.deadline,
                                 expected_version=payload.expected_version)
    return read_one(request, HAZARDS, record_id)


class VersionIn(Schema):
    expected_version: int


@hazard_router.post("/{int:record_id}/delisting", response={200: s.HazardDetail, **CONFLICT},
                    operation_id="delist_hazard", summary="摘牌: refused unless re-inspected and closed")
def delist_hazard(request, record_id: IdParam, payload: VersionIn):
    hazards.delist(request.auth, record_id, expected_version=payload.expected_version)
    return read_one(request, HAZARDS, record_id)


@hazard_router.post("/{int:record_id}/dual-report", response={200: s.HazardDetail, **CONFLICT},
                    operation_id="record_hazard_dual_report", summary="major hazard: dual report (双报告)")
def dual_report(request, record_id: IdParam, payload: s.DualReportIn):
    hazards.record_dual_report(request.auth, record_id, to_department=payload.to_department,
                               to_congress=payload.to_congress, expected_version=payload.expected_version)
    return read_one(request, HAZARDS, record_id)


class FixedOnSpotIn(Schema):
    category: str
    description: MultilineText
    source: str = "patrol"
    enterprise_id: int | None = None
    place_id: int | None = None
    area_id: int | None = None
    risk_point_id: int | None = None
    lon: float | None = None
    lat: float | None = None
    note: MultilineText = ""


@hazard_router.post("/fixed-on-spot", response={201: s.HazardDetail, **ERRORS}, operation_id="register_fixed_on_spot",
                    summary="a general hazard found and fixed on the spot: closed in one step with photos")
def fixed_on_spot(request, data: Form[FixedOnSpotIn], before: list[UploadedFile] = File(...),
                  after: list[UploadedFile] = File(...)):
    body = {k: v for k, v in data.model_dump().items() if v is not None and k != "note"}
    created = hazards.register_fixed_on_spot(request.auth, body, before_photos=before, after_photos=after,
                                             note=data.note)
    return 201, read_one(request, HAZARDS, created.pk)


@report_router.post("/{int:record_id}/triage", response={200: s.ReportDetail, **CONFLICT},
                    operation_id="triage_public_report", summary="accept (→ hazard) / duplicate / reject")
def triage(request, record_id: IdParam, payload: s.TriageIn):
    reports.triage_report(request.auth, record_id, payload.decision, expected_version=payload.expected_version,
                          note=payload.note, duplicate_of=payload.duplicate_of)
    return read_one(request, REPORTS, record_id)


@reward_router.post("/{int:record_id}/decision", response={200: s.RewardOut, **CONFLICT},
                    operation_id="decide_reward", summary="approve / decline / pay a reward")
def decide(request, record_id: IdParam, payload: s.RewardDecisionIn):
    reports.decide_reward(request.auth, record_id, payload.decision, expected_version=payload.expected_version,
                          payment_reference=payload.payment_reference)
    return read_one(request, REWARDS, record_id)
