"""/api/v1/dig-checks: the dig check (开挖核查) over the underground lines and utility tunnels.
Thin: parse, call services.dig_check, return. The lines and tunnels themselves are record kinds
(/api/v1/underground-lines, /api/v1/utility-tunnels, core.kinds)."""
from typing import Any, Optional

from ninja import Router, Schema
from pydantic import Field

from citysafe.core.kinds.api import ERRORS
from citysafe.siting.services.dig_check import DEFAULT_METRES, MAX_METRES, dig_check

dig_check_router = Router(tags=["dig-checks"])  # mounted at /dig-checks


class DigCheckIn(Schema):
    geometry: dict[str, Any] = Field(..., description="the planned excavation: GeoJSON Point, LineString or "
                                                      "Polygon, WGS84 lon/lat")
    metres: float = Field(DEFAULT_METRES, allow_inf_nan=False,
                          description=f"search distance around it, 0–{MAX_METRES:g} m (default {DEFAULT_METRES:g})")


class DigHitOut(Schema):
    record: str = Field(..., description="line or tunnel")
    id: int
    code: str
    name: str
    kind: str = Field(..., description="gas, water, drainage, heating, power, telecom, industrial, or tunnel")
    kind_label: str
    material: str
    diameter_mm: Optional[int]
    pressure_class: str
    pressure_label: str
    depth_m: Optional[float]
    status: str = Field(..., description="in_use or abandoned")
    status_label: str
    owner: str
    distance_m: float
    visible: bool = Field(..., description="whether the caller may open the record itself")
    geometry: dict[str, Any]


class DigCheckOut(Schema):
    metres: float
    count: int
    owners: list[str] = Field(..., description="owners / operators to notify, nearest first")
    hits: list[DigHitOut]


@dig_check_router.post("", response={200: DigCheckOut, **ERRORS}, operation_id="run_dig_check",
                       summary="underground lines and tunnels within N metres of a planned excavation, nearest first")
def run_dig_check(request, payload: DigCheckIn):
    return dig_check(request.auth, payload.geometry, payload.metres).as_dict()
