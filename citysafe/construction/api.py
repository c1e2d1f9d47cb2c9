"""Workflow endpoints of high-danger works and work permits, beside the generic record routers
core builds from kinds.py (mounted by config/api.py at the same prefixes)."""
from typing import Any

from ninja import Router, Schema
from pydantic import Field

from citysafe.accounts.auth import changers_of
from citysafe.construction.kinds import PERMITS, WORKS
from citysafe.construction.services.transitions import transition_permit, transition_work
from citysafe.core.kinds.api import ERRORS, read_one
from citysafe.core.kinds.types import Id, MultilineText, Text, Version
from citysafe.core.schema_types import ErrorOut


class StepIn(Schema):
    transition: Text = Field(..., description="works: review / start / accept / close; "
                                              "permits: approve / start / close / cancel")
    expected_version: Version = Field(..., description="the `version` read with the record (a stale one is a 409)")
    note: MultilineText = ""
    changes: dict[str, Any] = Field(default_factory=dict, description=(
        "works review: {review_on, review_experts, review_conclusion}; "
        "permits start: {oxygen_percent, combustible_percent_lel, toxic_ppm}"))
    attachments: list[Id] = Field(default_factory=list, max_length=20)


work_router = Router(tags=["high-danger-works"])
permit_router = Router(tags=["work-permits"])


@work_router.post("/{int:record_id}/transitions", response={200: WORKS.item, 409: ErrorOut, **ERRORS},
                  auth=changers_of(WORKS.model),
                  operation_id="transition_high_danger_work", summary="专家论证、开始实施、验收、关闭")
def step_work(request, record_id: Id, payload: StepIn):
    transition_work(request.auth, record_id, payload.transition, expected_version=payload.expected_version,
                    note=payload.note, changes=payload.changes, attachments=payload.attachments)
    return read_one(request, WORKS, record_id)


@permit_router.post("/{int:record_id}/transitions", response={200: PERMITS.item, 409: ErrorOut, **ERRORS},
                    auth=changers_of(PERMITS.model),
                    operation_id="transition_work_permit", summary="审批、开始作业（气体检测）、关闭、作废")
def step_permit(request, record_id: Id, payload: StepIn):
    transition_permit(request.auth, record_id, payload.transition, expected_version=payload.expected_version,
                      note=payload.note, changes=payload.changes, attachments=payload.attachments)
    return read_one(request, PERMITS, record_id)
