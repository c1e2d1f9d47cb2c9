"""REST endpoints of the credit app beyond its kinds' CRUD, mounted at /api/v1/credit: list
entry workflow steps, the published list (open, no sign-in), a rate quote, uninsured high-risk
enterprises, the agency ranking. Thin: parse, call one service or selector, return."""
from typing import Literal

from ninja import Router, Schema

from citysafe.accounts.auth import changers_of
from citysafe.core import scope
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import IdParam, MultilineText, Version
from citysafe.credit import selectors
from citysafe.credit.models import ListEntry
from citysafe.credit.services import agencies, entries, insurance
from citysafe.registry.models import Enterprise

router = Router(tags=["credit"])


class StepIn(Schema):
    name: Literal["approve", "reject", "notify", "publish", "apply_repair", "approve_repair", "reject_repair"]
    version: Version
    note: MultilineText = ""
    reason: MultilineText = ""


@router.post("/entries/{int:record_id}/transitions", response={200: dict, **ERRORS}, operation_id="step_credit_entry",
             auth=changers_of(ListEntry))
def step(request, record_id: IdParam, payload: StepIn):
    entry = entries.transition_entry(request.auth, record_id, payload.name, expected_version=payload.version,
                                     note=payload.note, reason=payload.reason)
    return {"id": entry.pk, "status": entry.status, "version": entry.version,
            "published_on": entry.published_on, "expires_on": entry.expires_on, "removed_on": entry.removed_on}


@router.get("/public-list", auth=None, response={200: list[dict]}, operation_id="public_credit_list")
def public_list(request):
    return selectors.public_rows(selectors.published_entries()[:500])


@router.get("/rate/{int:enterprise_id}", response={200: dict, **ERRORS}, operation_id="quote_premium_rate")
def rate(request, enterprise_id: IdParam):
    enterprise = scope.get_in_scope(request.auth, Enterprise.objects.all(), enterprise_id)
    return insurance.rate_of(enterprise)


@router.get("/uninsured", response={200: list[dict], **ERRORS}, operation_id="list_uninsured_high_risk")
def uninsured(request):
    return [{"id": e.pk, "name": e.name, "uscc": e.uscc, "industry": e.industry.name, "township": e.township.name}
            for e in insurance.uninsured_high_risk(request.auth)[:1000]]


@router.get("/agency-ranking", response={200: list[dict], **ERRORS}, operation_id="agency_ranking")
def ranking(request):
    return agencies.ranking(request.auth)
