"""Writes of underground lines and utility tunnels (core.records: role, scope, field limits,
version, audit). The geometry is a LineString / MultiLineString inside the county (a 422 on
`geometry` otherwise); the record is placed in the township and grid of its midpoint unless the
caller names them (registry placement, the same rule as places), and its geodesic length and
bounding box are derived here."""
import pyproj
import shapely
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_geometry
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.registry.services.placement import relocate
from citysafe.siting.models import LineKind, UndergroundLine, UtilityTunnel
from kernels.geometry import LINE_TYPES

COMMON = {"code", "name", "owner_enterprise_id", "year_laid", "status", "data_source", "township_id", "grid_id",
          "depth_m", "geometry", "is_synthetic"}
LINE_FIELDS = COMMON | {"line_kind", "material", "diameter_mm", "pressure_class"}
TUNNEL_FIELDS = COMMON | {"compartments"}
GEOD = pyproj.Geod(ellps="WGS84")


def _apply(actor, instance, data: dict, allowed: set[str], errors: ErrorCollector) -> None:
    fields = {k: v for k, v in data.items() if k != "geometry"}
    if fields.get("pressure_class") == "" and "pressure_class" in allowed:
        # Clearing the class (a line that is not gas): blank is not one of the choices apply_fields checks.
        instance.pressure_class = fields.pop("pressure_class")
    apply_fields(instance, fields, allowed, errors, actor=actor)
    midpoint = None
    if "geometry" in data:
        geom = errors.run(check_geometry, data["geometry"], "geometry", LINE_TYPES)
        if geom is not None:
            instance.geometry = data["geometry"]
            instance.length_m = round(float(GEOD.geometry_length(geom)), 1)
            instance.min_lon, instance.min_lat, instance.max_lon, instance.max_lat = geom.bounds
            # A line's place is where its middle lies (a long main crossing a boundary belongs to one).
            midpoint = shapely.line_interpolate_point(shapely.line_merge(geom), 0.5, normalized=True)
            if midpoint.is_empty:
                midpoint = geom.representative_point()
    if not errors.errors:
        relocate(instance, data, midpoint, errors)


def _check_line(line: UndergroundLine, errors: ErrorCollector) -> None:
    if line.pressure_class and line.line_kind and line.line_kind != LineKind.GAS:
        errors.add("pressure_class", _("压力级制：仅燃气管线填写（该管线为%(kind)s）")
                   % {"kind": line.get_line_kind_display()}, "not_gas")


@transaction.atomic
def create_line(actor, data: dict) -> UndergroundLine:
    line, errors = open_for_create(actor, UndergroundLine, data), ErrorCollector()
    require_fields(data, ["code", "line_kind", "geometry"], errors)
    if not errors.errors:
        _apply(actor, line, data, LINE_FIELDS, errors)
        _check_line(line, errors)
    errors.raise_if_any()
    return save_record(actor, line, action="create", before=None)


@transaction.atomic
def update_line(actor, pk, data: dict, *, expected_version: int | None = None) -> UndergroundLine:
    line = open_for_change(actor, UndergroundLine, pk, data, expected_version=expected_version)
    before, errors = snapshot(line), ErrorCollector()
    _apply(actor, line, data, LINE_FIELDS, errors)
    _check_line(line, errors)
    errors.raise_if_any()
    return save_record(actor, line, action="update", before=before)


@transaction.atomic
def create_tunnel(actor, data: dict) -> UtilityTunnel:
    tunnel, errors = open_for_create(actor, UtilityTunnel, data), ErrorCollector()
    require_fields(data, ["code", "name", "geometry"], errors)
    if not errors.errors:
        _apply(actor, tunnel, data, TUNNEL_FIELDS, errors)
    errors.raise_if_any()
    return save_record(actor, tunnel, action="create", before=None)


@transaction.atomic
def update_tunnel(actor, pk, data: dict, *, expected_version: int | None = None) -> UtilityTunnel:
    tunnel = open_for_change(actor, UtilityTunnel, pk, data, expected_version=expected_version)
    before, errors = snapshot(tunnel), ErrorCollector()
    _apply(actor, tunnel, data, TUNNEL_FIELDS, errors)
    errors.raise_if_any()
    return save_record(actor, tunnel, action="update", before=before)
