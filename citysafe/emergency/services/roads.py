"""Road network writes: import (GeoJSON / OSM XML), close and reopen a road. Each bumps the
network version in its transaction and leaves one audit record."""
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.core.validation import check_text
from citysafe.emergency.models import RoadSegment
from citysafe.emergency.network import bump_version
from citysafe.registry.counties import acting_county_id, county_rows_q
from kernels.road_import import read_geojson_roads, read_osm_xml
from kernels.road_network import NetworkError, build_network

MAX_BYTES = getattr(settings, "ROAD_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
MAX_ROADS = 200_000
FORMATS = {"geojson", "osm"}
_CLASSES = {value for value, _label in RoadSegment.RoadClass.choices}


def may_write_roads(actor, action: str = scope.Action.CHANGE) -> bool:
    """The permission table (emergency/permissions.py): import = create, close/reopen = change."""
    return scope.may(actor, RoadSegment, action)


def _may_write(actor, action: str = scope.Action.CHANGE):
    if not may_write_roads(actor, action):
        raise PermissionDenied(_("您的角色不能修改道路网络"))


def network_error_message(error: NetworkError) -> str:
    where = _("第%(n)s条道路：") % {"n": error.row + 1} if error.row is not None else ""
    return where + _("%(rule)s（%(detail)s）") % {"rule": _RULES.get(error.code, _("数据不符合要求")),
                                                 "detail": str(error)}


_RULES = {"bad_geometry": _("几何无效"), "bad_speed": _("通行速度无效"), "too_short": _("线段过短"),
          "bad_json": _("不是有效的GeoJSON"), "bad_xml": _("不是有效的OSM XML"), "bad_road_class": _("道路等级无效"), "bad_oneway": _("单行标记无效"),
          "hostile_xml": _("XML含有不允许的实体声明")}


def parse_roads(data: bytes, fmt: str) -> list[dict]:
    """Rows of a road file, checked completely (a network is built from them) before anything
    is written; a bad row raises ValidationError naming it."""
    if fmt not in FORMATS:
        raise ValidationError({"format": [ValidationError(_("格式只能是geojson或osm"), code="choice")]})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": [ValidationError(_("文件过大（上限%(mb)sMB）") % {"mb": MAX_BYTES // 2**20},
                                                        code="too_large")]})
    try:
        rows = read_geojson_roads(data) if fmt == "geojson" else read_osm_xml(data)
        if len(rows) > MAX_ROADS:
            raise ValidationError({"file": [ValidationError(_("道路过多（上限%(n)s条）") % {"n": MAX_ROADS},
                                                            code="too_many")]})
        build_network([r["line"] for r in rows], [r["speed_kmh"] for r in rows], [bool(r["oneway"]) for r in rows],
                      [bool(r["closed"]) for r in rows])
    except NetworkError as error:
        raise ValidationError({"file": [ValidationError(network_error_message(error), code=error.code)]}) from None
    if not rows:
        raise ValidationError({"file": [ValidationError(_("文件中没有可通行的道路"), code="empty")]})
    return rows


def _segment(row, synthetic=False) -> RoadSegment:
    road_class = row.get("road_class") or "unclassified"
    return RoadSegment(name=str(row.get("name") or "")[:100], geometry=shapely_mapping(row["line"]),
                       road_class=road_class if road_class in _CLASSES else "unclassified",
                       speed_kmh=float(row["speed_kmh"]), oneway=bool(row["oneway"]), closed=bool(row["closed"]),
                       is_synthetic=synthetic)


def shapely_mapping(line) -> dict:
    from shapely.geometry import mapping

    geometry = mapping(line)
    return {"type": geometry["type"], "coordinates": [list(map(float, p)) for p in geometry["coordinates"]]}


@transaction.atomic
def import_roads(actor, data: bytes, fmt: str, *, replace: bool = False, synthetic: bool = False) -> int:
    """All or nothing: parse and check every row first, then write them in one transaction."""
    _may_write(actor, scope.Action.CREATE)
    rows = parse_roads(data, fmt)
    return write_rows(actor, rows, replace=replace, synthetic=synthetic, note=f"import {fmt}")


def _own_roads(actor):
    """The segments the actor's county keeps (a county replaces, closes and reopens only its own;
    a user of several counties, none: it holds no write permission on roads)."""
    county = acting_county_id(actor)
    return RoadSegment.objects.filter(county_rows_q(county)), county


def write_rows(actor, rows, *, replace: bool, synthetic: bool, note: str) -> int:
    with transaction.atomic():
        own, county = _own_roads(actor)
        removed = own.delete()[0] if replace else 0
        segments = [_segment(r, synthetic) for r in rows]
        for segment in segments:
            segment.county_id = county
        RoadSegment.objects.bulk_create(segments, batch_size=1000)
        version = bump_version()
        record_change(actor=actor, action="import", object_type="emergency.RoadSegment", object_id="*",
                      object_repr=_("道路网络"), after={"added": len(rows), "removed": removed, "version": version},
                      note=note)
    return len(rows)


@transaction.atomic
def close_road(actor, pk: int, reason: str) -> RoadSegment:
    """Close a road (flood, landslide): routing avoids it from the next request on."""
    _may_write(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"closed_reason": [ValidationError(_("封闭道路须说明原因"), code="required")]})
    check_text(reason, "closed_reason")
    segment = _own_roads(actor)[0].select_for_update().get(pk=pk)  # another county's: does not exist
    before = {"closed": segment.closed, "closed_reason": segment.closed_reason}
    segment.closed, segment.closed_reason, segment.closed_at = True, reason[:200], timezone.now()
    segment.save(update_fields=["closed", "closed_reason", "closed_at"])
    version = bump_version()
    record_change(actor=actor, action="close", instance=segment, before=before,
                  after={"closed": True, "closed_reason": segment.closed_reason, "version": version})
    return segment


@transaction.atomic
def reopen_road(actor, pk: int) -> RoadSegment:
    _may_write(actor)
    segment = _own_roads(actor)[0].select_for_update().get(pk=pk)  # another county's: does not exist
    before = {"closed": segment.closed, "closed_reason": segment.closed_reason}
    segment.closed, segment.closed_reason, segment.closed_at = False, "", None
    segment.save(update_fields=["closed", "closed_reason", "closed_at"])
    version = bump_version()
    record_change(actor=actor, action="reopen", instance=segment, before=before,
                  after={"closed": False, "version": version})
    return segment
