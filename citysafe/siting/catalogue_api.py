"""/api/v1/catalogue-matches: enterprises matched to the restricted / obsolete industry catalogue,
in the caller's scope (the catalogue itself is the generic /api/v1/restricted-industry-items).
Thin: parse, call one selector or service, return."""
from datetime import date
from typing import Literal, Optional

from ninja import Query, Router, Schema
from pydantic import Field

from citysafe.core import scope
from citysafe.core.kinds.api import ERRORS
from citysafe.core.kinds.types import IdParam
from citysafe.siting import selectors
from citysafe.siting.models import MatchStatus, RequiredAction, RestrictedIndustryItem
from citysafe.siting.services.catalogue import rematch

catalogue_match_router = Router(tags=["catalogue-matches"])  # mounted at /catalogue-matches


class CatalogueMatchOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    operating_status: str = Field(..., alias="enterprise.operating_status")
    item_id: int
    item_name: str = Field(..., alias="item.name")
    category: str = Field(..., alias="item.category")
    source_document: str = Field(..., alias="item.source_document")
    clause: str = Field(..., alias="item.clause")
    matched_by: str
    action: str
    found_on: date
    deadline: date
    status: str
    township_id: int
    industry_id: Optional[int]


class CatalogueMatchPage(Schema):
    count: int
    items: list[CatalogueMatchOut]


class CatalogueMatchQuery(Schema):
    township_id: Optional[int] = None
    industry_id: Optional[int] = None
    item_id: Optional[int] = None
    action: Optional[Literal[tuple(RequiredAction.values)]] = None
    status: Optional[Literal[tuple(MatchStatus.values)]] = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class RematchOut(Schema):
    current: int
    new: int
    resolved: int


@catalogue_match_router.get("", response={200: CatalogueMatchPage, **ERRORS}, operation_id="list_catalogue_matches",
                            summary="enterprises matched to the restricted / obsolete industry catalogue, in scope")
def list_matches(request, query: Query[CatalogueMatchQuery]):
    filters = {k: v for k, v in query.model_dump().items() if v is not None and k not in ("limit", "offset")}
    rows = selectors.catalogue_matches_for(request.auth, filters).order_by("deadline", "id")
    return {"count": rows.count(), "items": list(rows[query.offset:query.offset + query.limit])}


@catalogue_match_router.get("/{int:record_id}", response={200: CatalogueMatchOut, **ERRORS},
                            operation_id="get_catalogue_match")
def get_match(request, record_id: IdParam):
    return scope.get_in_scope(request.auth, selectors.catalogue_matches_for(request.auth), record_id)


@catalogue_match_router.post("/rematch", response={200: RematchOut, **ERRORS}, operation_id="rematch_catalogue",
                             summary="re-run the matching now (it also runs after every change and nightly)")
def rematch_now(request):
    scope.require(request.auth, RestrictedIndustryItem, scope.Action.CHANGE)
    return rematch(note=f"api:{request.auth.pk}")
