"""Reads of the underground layers, always through core.scope.narrow: the map layer (GeoJSON of
the caller's lines and tunnels by kind) and its legend.

The layer is view-aware (issue 19, "maps that scale"; see docs/architecture.md): asked with
`?bbox=…&zoom=…` it holds the lines whose envelope (min/max lon/lat, indexed) meets the view,
simplified to half a screen pixel below DETAIL_ZOOM; a zoomed-out view over more than
MAP_FEATURE_LIMIT lines gets per-cell counts of the lines' envelope centres instead (the
registry map's viewport code), each cell folded per kind (`group`)."""
import shapely
from django.db.models import Count, F
from django.urls import reverse
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from citysafe.core import scope
from citysafe.core.db import read_alias
from citysafe.registry.map import viewport as views_of
from citysafe.siting.models import LineKind, UndergroundLine, UtilityTunnel

TUNNEL = "tunnel"
# Colours by kind: the conventional pipeline-map colours of Chinese survey practice (CJJ 61 城市地下
# 管线探测技术规程: power red, telecom green, water blue, drainage brown, gas magenta, heating orange,
# industrial black — from memory, 待核实), so the map reads like the county's survey drawings.
COLOURS = {LineKind.POWER: "#d62728", LineKind.TELECOM: "#2ca02c", LineKind.WATER: "#1f77b4",
           LineKind.DRAINAGE: "#8c564b", LineKind.GAS: "#d61f9c", LineKind.HEATING: "#ff7f0e",
           LineKind.INDUSTRIAL: "#222222", TUNNEL: "#6b6b6b"}


class BadLayerFilter(ValueError):
    pass


def legend() -> list[dict]:
    return [*({"kind": value, "label": str(label), "colour": COLOURS[value]} for value, label in LineKind.choices),
            {"kind": TUNNEL, "label": str(UtilityTunnel._meta.verbose_name), "colour": COLOURS[TUNNEL]}]


def counts_by_kind(user) -> dict:
    counts = dict(scope.narrow(user, UndergroundLine.objects.all()).values_list("line_kind")
                  .annotate(n=Count("id")).values_list("line_kind", "n"))
    counts[TUNNEL] = scope.narrow(user, UtilityTunnel.objects.all()).count()
    return counts


def _detail(key: str) -> str:
    return reverse("siting:detail", args=[key, 987654321]).replace("987654321", "{id}")


def _scoped(user, kind: str):
    """(querysets of the caller's lines, tunnels) for the kind filter; BadLayerFilter on a bad one."""
    if kind and kind not in {*LineKind.values, TUNNEL}:
        raise BadLayerFilter(_("管线类别“%(k)s”不存在") % {"k": kind[:40]})
    lines = scope.narrow(user, UndergroundLine.objects.all()).using(read_alias())
    if kind:
        lines = lines.filter(line_kind=kind)
    tunnels = scope.narrow(user, UtilityTunnel.objects.all()).using(read_alias())
    return (lines if kind != TUNNEL else lines.none()), (tunnels if kind in ("", TUNNEL) else tunnels.none())


def _centred(queryset):
    """The envelope's centre as `_clon`/`_clat`: where a line is counted in a cluster."""
    return queryset.annotate(_clon=(F("min_lon") + F("max_lon")) / 2.0, _clat=(F("min_lat") + F("max_lat")) / 2.0)


def _clusters(lines, tunnels, viewport):
    """Per-cell counts per kind (tunnels as one kind) when the view is zoomed out over more
    than MAP_FEATURE_LIMIT lines and tunnels together; None: send the lines themselves."""
    if viewport is None or views_of.is_detailed(viewport):
        return None
    cells = views_of.cell_counts(_centred(lines), viewport, key="line_kind", group_of=str, lon="_clon", lat="_clat")
    tunnel_cells = views_of.cell_counts(_centred(tunnels), viewport, lon="_clon", lat="_clat")
    for cell in tunnel_cells:
        cell.group = TUNNEL
    together = cells + tunnel_cells
    return together if views_of.wants_clusters(together) else None


def _extent(lines, tunnels) -> list | None:
    boxes = [b for b in (views_of.extent(q, "min_lon", "min_lat", "max_lon", "max_lat") for q in (lines, tunnels)) if b]
    if not boxes:
        return None
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def layer(user, kind: str = "", viewport=None, with_extent: bool = False) -> dict:
    """The caller's lines (and tunnels) as a FeatureCollection; `kind` narrows to one kind;
    `with_extent` adds the envelope of all of them (the page fits its first view to it)."""
    lines, tunnels = _scoped(user, kind)
    detail = {"line": _detail("underground-lines"), "tunnel": _detail("utility-tunnels")}
    if with_extent:
        head = {"extent": _extent(lines, tunnels)}
    else:
        head = {}
    clusters = _clusters(lines, tunnels, viewport)
    if clusters is not None:
        return {**views_of.clusters_collection(clusters, viewport, **head), "detail": detail}
    tolerance = views_of.simplify_tolerance(viewport)
    features = []
    line_rows, cut_lines = views_of.capped(views_of.intersecting(lines, viewport)
                                           .select_related("owner_enterprise").order_by("id"), viewport)
    for row in line_rows:
        features.append(_feature(user, row, row.line_kind, "underground-lines", tolerance, diameter_mm=row.diameter_mm,
                                 material=row.material, pressure_class=row.get_pressure_class_display()))
    tunnel_rows, cut_tunnels = views_of.capped(views_of.intersecting(tunnels, viewport)
                                               .select_related("owner_enterprise").order_by("id"), viewport)
    for row in tunnel_rows:
        features.append(_feature(user, row, TUNNEL, "utility-tunnels", tolerance, compartments=row.compartments))
    return {"type": "FeatureCollection", **head, **views_of.view_properties(viewport, "features", cut_lines or cut_tunnels),
            "features": features, "detail": detail}


def _simplified(geometry: dict, tolerance: float | None) -> dict:
    """The line as drawn at this zoom: Douglas-Peucker to half a pixel (shapely), as map servers
    generalise lines per scale; the stored geometry when zoomed in or if it cannot be read."""
    if tolerance is None:
        return geometry
    try:
        return mapping(shapely.simplify(shape(geometry), tolerance, preserve_topology=False))
    except Exception:  # noqa: BLE001 - a stored value shapely cannot read is drawn as stored
        return geometry


def _feature(user, row, kind, key, tolerance=None, **extra) -> dict:
    owner = row.owner_enterprise.name if row.owner_enterprise_id and scope.may_read_related(
        user, row.owner_enterprise) else ""
    return {"type": "Feature", "geometry": _simplified(row.geometry, tolerance), "properties": {
        "id": row.pk, "record": "tunnel" if kind == TUNNEL else "line", "kind": kind, "code": row.code,
        "name": row.name, "depth_m": row.depth_m, "owner": owner, "status": row.status, **extra}}
