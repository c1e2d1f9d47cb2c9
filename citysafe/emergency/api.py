"""The emergency app's own endpoints, beside the generic routers of its record kinds:
incident command (ranked resources, dispatch, issue, tasks, transitions, green channel) at
/incidents, closing and reopening roads at /roads. Thin: parse, call one service, answer."""
from typing import Optional

from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from citysafe.accounts.auth import changers_of
from citysafe.core.kinds.api import ERRORS, read_one
from citysafe.core.kinds.types import Id, MultilineText, Text, Version
from citysafe.core.schema_types import ErrorOut
from citysafe.emergency import selectors
from citysafe.emergency.kinds import KIND_BY_KEY
from citysafe.emergency.services import incidents as services
from citysafe.emergency.services import roads

incident_router = Router(tags=["incidents"])
road_router = Router(tags=["roads"])
INCIDENTS = KIND_BY_KEY["incidents"]


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class TransitionIn(_In):
    transition: Text
    expected_version: Version
    note: Text = ""
    summary: Optional[MultilineText] = None


class TeamIn(_In):
    team_id: Id
    eta_seconds: Optional[float] = Field(None, ge=0, allow_inf_nan=False)


class IssueIn(_In):
    material_id: Id
    quantity: float = Field(allow_inf_nan=False)


class TaskIn(_In):
    task: Text


class ReasonIn(_In):
    reason: Text


class DispatchOut(Schema):
    id: int
    kind: str
    status: str
    team_id: Optional[int]
    material_id: Optional[int]
    quantity: Optional[float]
    task: str


class RankedOut(Schema):
    id: int
    name: str
    seconds: float


class ResourcesOut(Schema):
    teams: list[RankedOut]
    stockpiles: list[RankedOut]
    experts: list[RankedOut]
    shelters: list[RankedOut]
    hospitals: list[RankedOut]


def _incident(user, pk):
    from citysafe.core import scope
    from citysafe.emergency.models import Incident

    return scope.get_in_scope(user, Incident.objects.all(), pk)  # DoesNotExist: the API's 404


def _ranked(entries):
    return [{"id": e.record.pk, "name": e.record.name, "seconds": round(e.seconds, 1)} for e in entries]


@incident_router.get("/{int:record_id}/resources", response={200: ResourcesOut, **ERRORS},
                     operation_id="incident_resources", summary="nearby resources ranked by travel time")
def incident_resources(request, record_id: Id):
    ranked = selectors.ranked_resources(request.auth, _incident(request.auth, record_id))
    return {key: _ranked(ranked[key]) for key in ("teams", "stockpiles", "experts", "shelters", "hospitals")}


@incident_router.post("/{int:record_id}/transitions", response={200: INCIDENTS.item, 409: ErrorOut, **ERRORS},
                      auth=changers_of(INCIDENTS.model),
                      operation_id="transition_incident", summary="respond / control / close")
def transition_incident(request, record_id: Id, payload: TransitionIn):
    services.transition_incident(request.auth, record_id, payload.transition, expected_version=payload.expected_version,
                                 note=payload.note, summary=payload.summary)
    return read_one(request, INCIDENTS, record_id)


@incident_router.post("/{int:record_id}/dispatch-team", response={201: DispatchOut, **ERRORS},
                      operation_id="dispatch_team", summary="send a rescue team")
def dispatch_team(request, record_id: Id, payload: TeamIn):
    return Status(201, services.dispatch_team(request.auth, record_id, payload.team_id,
                                              eta_seconds=payload.eta_seconds))


@incident_router.post("/{int:record_id}/issue", response={201: DispatchOut, **ERRORS},
                      operation_id="issue_material", summary="issue material (never below zero)")
def issue_material(request, record_id: Id, payload: IssueIn):
    return Status(201, services.issue_material(request.auth, record_id, payload.material_id, payload.quantity))


@incident_router.post("/{int:record_id}/tasks", response={201: DispatchOut, **ERRORS},
                      operation_id="add_incident_task", summary="give a task")
def add_task(request, record_id: Id, payload: TaskIn):
    return Status(201, services.add_task(request.auth, record_id, payload.task))


@road_router.post("/{int:segment_id}/close", response={204: None, **ERRORS}, operation_id="close_road",
                  summary="close a road (flood, landslide); routing avoids it")
def close_road(request, segment_id: Id, payload: ReasonIn):
    roads.close_road(request.auth, segment_id, payload.reason)
    return Status(204, None)


@road_router.post("/{int:segment_id}/reopen", response={204: None, **ERRORS}, operation_id="reopen_road",
                  summary="reopen a closed road")
def reopen_road(request, segment_id: Id):
    roads.reopen_road(request.auth, segment_id)
    return Status(204, None)
