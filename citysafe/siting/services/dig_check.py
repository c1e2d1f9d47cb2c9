"""Dig check (开挖核查 / 施工挖掘前管线查询): every underground line and utility tunnel within N
metres of a planned excavation (a point, a trench line or a polygon), with kind, depth, diameter,
owner and distance, nearest first; and the owners to notify.

Like the site check it reads the whole county, not the caller's scope: an excavator must learn of
the gas main across the township line. It returns only what a dig needs (kind, size, depth,
owner, distance, the line's course); `visible` says whether the caller may open the record itself.
Each check is audited (who looked where), since it shows lines outside the caller's scope.
Distances: kernels.safety_distance.LineIndex.near in a local Transverse Mercator, inclusive (a
line exactly N metres away is reported)."""
import math
from dataclasses import asdict, dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import shape

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.core.validation import check_geometry, parse_number
from citysafe.siting.models import LineKind, LineStatus, PressureClass, UndergroundLine, UtilityTunnel
from kernels.safety_distance import LineIndex, to_metres

DIG_CHECK = "siting.DigCheck"  # a permission label only: nothing is stored but the audit record
DEFAULT_METRES = 5.0
MAX_METRES = 200.0       # a dig check's margin; a wider search is a planning question (site check)
MAX_EXTENT_M = 5000.0    # one excavation at a time: a trench or site up to 5 km across
EXCAVATION_TYPES = {"Point", "LineString", "Polygon"}
METRES_PER_DEGREE = 111_320.0
TUNNEL = "tunnel"


@dataclass
class DigHit:
    record: str            # "line" or "tunnel"
    id: int
    code: str
    name: str
    kind: str              # a LineKind value, or "tunnel"
    kind_label: str
    material: str
    diameter_mm: int | None
    pressure_class: str
    pressure_label: str
    depth_m: float | None
    status: str
    status_label: str
    owner: str
    distance_m: float
    visible: bool
    geometry: dict = field(repr=False)


@dataclass
class DigCheckResult:
    metres: float
    hits: list[DigHit]

    @property
    def owners(self) -> list[str]:
        """The owners / operators to notify before digging, in order of their nearest line."""
        return list(dict.fromkeys(h.owner for h in self.hits if h.owner))

    def as_dict(self) -> dict:
        return {"metres": self.metres, "count": len(self.hits), "owners": self.owners,
                "hits": [asdict(h) for h in self.hits]}


def _validate(geometry, metres):
    errors = {}
    value = parse_number(metres) if metres not in (None, "") else DEFAULT_METRES
    if value is None or isinstance(metres, bool) or not math.isfinite(value) or not 0 <= value <= MAX_METRES:
        errors["metres"] = [ValidationError(_("核查距离：须为0至%(max)g米之间的数字") % {"max": MAX_METRES},
                                            code="range")]
    geom = None
    try:
        geom = check_geometry(geometry, "geometry", allowed=EXCAVATION_TYPES)
    except ValidationError as error:
        errors.update(error.error_dict)
    if geom is not None:
        lon0, lat0, lon1, lat1 = geom.bounds
        across = math.hypot((lon1 - lon0) * METRES_PER_DEGREE * math.cos(math.radians(lat0)),
                            (lat1 - lat0) * METRES_PER_DEGREE)
        if across > MAX_EXTENT_M:
            errors["geometry"] = [ValidationError(_("开挖范围：过大（约%(m)d米），一次核查的范围不超过%(max)d米")
                                                  % {"m": across, "max": MAX_EXTENT_M}, code="too_large")]
    if errors:
        raise ValidationError(errors)
    return geom, float(value)


def _candidates(model, geom, metres):
    """Rows whose bounding box comes within `metres` of the excavation's (SQL prefilter)."""
    lon0, lat0, lon1, lat1 = geom.bounds
    pad_lat = metres / METRES_PER_DEGREE + 1e-6
    pad_lon = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat1)), 0.1)) + 1e-6
    return (model.objects.filter(archived_at__isnull=True, min_lon__lte=lon1 + pad_lon, max_lon__gte=lon0 - pad_lon,
                                 min_lat__lte=lat1 + pad_lat, max_lat__gte=lat0 - pad_lat)
            .select_related("owner_enterprise"))


def _hit(row, distance: float, visible: bool) -> DigHit:
    is_line = isinstance(row, UndergroundLine)
    kind = row.line_kind if is_line else TUNNEL
    return DigHit(
        record="line" if is_line else TUNNEL, id=row.pk, code=row.code, name=row.name, kind=kind,
        kind_label=str(row.get_line_kind_display() if is_line else UtilityTunnel._meta.verbose_name),
        material=row.material if is_line else "", diameter_mm=row.diameter_mm if is_line else None,
        pressure_class=row.pressure_class if is_line else "",
        pressure_label=str(dict(PressureClass.choices).get(row.pressure_class, "")) if is_line else "",
        depth_m=row.depth_m, status=row.status, status_label=str(dict(LineStatus.choices).get(row.status, row.status)),
        owner=row.owner_enterprise.name if row.owner_enterprise_id else "",
        distance_m=float(distance), visible=visible, geometry=row.geometry)


def find_lines_near(geom, metres: float, user=None) -> list[DigHit]:
    """The lines and tunnels within `metres` of `geom` (shapely, lon/lat), nearest first; no
    permission check (the site check calls it for its footprint). `user` decides `visible`."""
    rows = [*_candidates(UndergroundLine, geom, metres), *_candidates(UtilityTunnel, geom, metres)]
    if not rows:
        return []
    centre = (round(geom.centroid.x, 1), round(geom.centroid.y, 1))
    lines_m = to_metres([shape(r.geometry) for r in rows], centre)
    found, distance = LineIndex(lines_m).near(to_metres([geom], centre)[0], metres)
    visible: dict[type, set] = {}
    if user is not None:
        for model in (UndergroundLine, UtilityTunnel):
            ids = [rows[i].pk for i in found if isinstance(rows[i], model)]
            visible[model] = set(scope.narrow(user, model.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    return [_hit(rows[i], d, rows[i].pk in visible.get(type(rows[i]), ())) for i, d in
            zip(found.tolist(), np.asarray(distance).tolist(), strict=True)]


def dig_check(user, geometry: dict, metres: float = DEFAULT_METRES) -> DigCheckResult:
    """Validate (422 per field: geometry type, self-intersection, outside the county, too large;
    metres), find the lines, audit the look-up, return the result. Called by the page, the API
    and other apps (construction)."""
    scope.require(user, DIG_CHECK, scope.Action.CREATE)
    geom, metres = _validate(geometry, metres)
    result = DigCheckResult(metres=metres, hits=find_lines_near(geom, metres, user))
    c = geom.centroid
    record_change(actor=user, action="dig_check", object_type=DIG_CHECK, object_id="",
                  object_repr=f"{c.x:.5f},{c.y:.5f}",
                  after={"geometry_type": geom.geom_type, "metres": metres, "found": len(result.hits),
                         "lines": [f"{h.record}:{h.id}" for h in result.hits][:100]})
    return result


def kind_label(kind: str) -> str:
    return str(dict(LineKind.choices).get(kind) or UtilityTunnel._meta.verbose_name)


__all__ = ["DEFAULT_METRES", "DIG_CHECK", "MAX_METRES", "DigCheckResult", "DigHit", "dig_check", "find_lines_near",
           "kind_label"]
