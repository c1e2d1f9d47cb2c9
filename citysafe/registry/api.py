"""The registry's own endpoints, beside the generic record routers that core builds from
registry/kinds.py (core.kinds.api; mounted by config/api.py for every registered kind)."""
from ninja import Router

from citysafe.accounts.auth import changers_of
from citysafe.core.kinds.api import ERRORS, read_one
from citysafe.core.schema_types import ErrorOut
from citysafe.registry import schemas as s
from citysafe.registry import services
from citysafe.registry.kinds import ENTERPRISES

# Mounted at /enterprises, next to the enterprise kind's router.
enterprise_router = Router(tags=["enterprises"])


@enterprise_router.post("/{int:record_id}/transitions", response={200: s.EnterpriseOut, 409: ErrorOut, **ERRORS},
                        auth=changers_of(ENTERPRISES.model),
                        operation_id="transition_enterprise", summary="change operating status (停产整顿、搬迁、关闭…)")
def transition_enterprise(request, record_id: s.Id, payload: s.TransitionIn):
    services.transition_enterprise(request.auth, record_id, payload.transition,
                                   expected_version=payload.expected_version, note=payload.note,
                                   payload=payload.payload, changes=payload.changes, attachments=payload.attachments)
    return read_one(request, ENTERPRISES, record_id)
