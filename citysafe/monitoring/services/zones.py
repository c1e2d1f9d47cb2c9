"""Writes of restricted zones (禁行区) drawn on the zones map: create, edit (the polygon, name,
hours, who it binds) and archive, through core.records (role, field limits, version, audit).
A polygon zone keeps lon/lat at its centroid and radius_m at the distance to its farthest
vertex, so lists and the older circle view still place it sensibly."""
import shapely
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, archive_record, open_for_change, open_for_create, save_record
from citysafe.monitoring.models import RestrictedZone
from citysafe.registry.services.fields import apply_fields, require_fields
from kernels.vehicle_rules import distance_m

FIELDS = {"name", "polygon", "start_hour", "end_hour", "applies_to_all", "is_enabled"}
MAX_VERTICES = 500


def _check(zone: RestrictedZone, errors: ErrorCollector) -> None:
    ring = zone.polygon
    if not isinstance(ring, list) or not 3 <= len(ring) <= MAX_VERTICES or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                                for x in p)
            and 73 <= p[0] <= 136 and 3 <= p[1] <= 54 for p in ring):
        errors.add("polygon", _("区域边界应为3–500个[经度, 纬度]点组成的多边形（中国境内）"), "format")
        return
    polygon = shapely.Polygon(ring)
    if not polygon.is_valid or polygon.area == 0:
        errors.add("polygon", _("区域边界不能自相交，且必须围成面积"), "invalid")
        return
    for name in ("start_hour", "end_hour"):
        if not 0 <= getattr(zone, name) <= 23:
            errors.add(name, _("时刻应在0–23之间"), "range")
    centre = polygon.centroid
    zone.lon, zone.lat = round(centre.x, 6), round(centre.y, 6)
    zone.radius_m = round(max(distance_m(centre.x, centre.y, p[0], p[1]) for p in ring), 1)
    zone.polygon = [[round(float(x), 7), round(float(y), 7)] for x, y in ring]


@transaction.atomic
def create_zone(actor, data: dict) -> RestrictedZone:
    zone, errors = open_for_create(actor, RestrictedZone, data), ErrorCollector()
    require_fields(data, ["name", "polygon"], errors)
    apply_fields(zone, data, FIELDS, errors, actor=actor)
    if "polygon" in data:
        _check(zone, errors)
    errors.raise_if_any()
    return save_record(actor, zone, action="create", before=None)


@transaction.atomic
def update_zone(actor, pk, data: dict, *, expected_version: int | None = None) -> RestrictedZone:
    zone = open_for_change(actor, RestrictedZone, pk, data, expected_version=expected_version)
    before, errors = snapshot(zone), ErrorCollector()
    apply_fields(zone, data, FIELDS, errors, actor=actor)
    if zone.polygon or "polygon" in data:
        _check(zone, errors)
    errors.raise_if_any()
    return save_record(actor, zone, action="update", before=before)


def archive_zone(actor, pk) -> RestrictedZone:
    return archive_record(actor, RestrictedZone, pk)
