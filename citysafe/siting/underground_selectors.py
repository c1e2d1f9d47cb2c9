"""Reads of the underground layers, always through core.scope.narrow: the map layer (GeoJSON of
the caller's lines and tunnels by kind) and its legend."""
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from citysafe.core import scope
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


def layer(user, kind: str = "") -> dict:
    """The caller's lines (and tunnels) as a FeatureCollection; `kind` narrows to one kind."""
    if kind and kind not in {*LineKind.values, TUNNEL}:
        raise BadLayerFilter(_("管线类别“%(k)s”不存在") % {"k": kind[:40]})
    features = []
    if kind != TUNNEL:
        lines = scope.narrow(user, UndergroundLine.objects.all())
        if kind:
            lines = lines.filter(line_kind=kind)
        for row in lines.select_related("owner_enterprise").order_by("id"):
            features.append(_feature(user, row, row.line_kind, "underground-lines", diameter_mm=row.diameter_mm,
                                     material=row.material, pressure_class=row.get_pressure_class_display()))
    if kind in ("", TUNNEL):
        for row in scope.narrow(user, UtilityTunnel.objects.all()).select_related("owner_enterprise").order_by("id"):
            features.append(_feature(user, row, TUNNEL, "utility-tunnels", compartments=row.compartments))
    return {"type": "FeatureCollection", "features": features,
            "detail": {"line": _detail("underground-lines"), "tunnel": _detail("utility-tunnels")}}


def _feature(user, row, kind, key, **extra) -> dict:
    owner = row.owner_enterprise.name if row.owner_enterprise_id and scope.may_read_related(
        user, row.owner_enterprise) else ""
    return {"type": "Feature", "geometry": row.geometry, "properties": {
        "id": row.pk, "record": "tunnel" if kind == TUNNEL else "line", "kind": kind, "code": row.code,
        "name": row.name, "depth_m": row.depth_m, "owner": owner, "status": row.status, **extra}}
