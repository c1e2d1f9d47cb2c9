"""The licence transitions of a gathering (beside the generic record router of the kind)."""
from typing import Annotated, Literal

from ninja import Field, Router, Schema
from pydantic import Strict

from citysafe.core.kinds.api import ERRORS, read_one
from citysafe.core.kinds.types import IdParam, MultilineText
from citysafe.core.schema_types import ErrorOut
from citysafe.risks.gatherings.kinds import GATHERINGS, GatheringOut
from citysafe.risks.gatherings.services import transition_gathering

gathering_router = Router(tags=["gatherings"])  # mounted at /gatherings


class GatheringTransitionIn(Schema):
    transition: Literal["submit", "approve", "return", "refuse", "cancel"] = Field(
        ..., description="submit 提交申请 / approve 准予许可 / return 退回补正 / refuse 不予许可 / cancel 取消（须说明）")
    expected_version: Annotated[int, Strict(), Field(ge=1)] = Field(..., description="读取申请时的版本号")
    note: MultilineText = ""


@gathering_router.post("/{int:record_id}/transitions", response={200: GatheringOut, 409: ErrorOut, **ERRORS},
                       operation_id="transition_gathering", summary="submit / approve / return / refuse / cancel")
def transition(request, record_id: IdParam, payload: GatheringTransitionIn):
    transition_gathering(request.auth, record_id, payload.transition, expected_version=payload.expected_version,
                         note=payload.note)
    return read_one(request, GATHERINGS, record_id)
