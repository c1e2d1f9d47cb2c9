"""Coverage planning page and export, the resource map, and the road network page (import,
close, reopen). Thin: parse, call one selector or service, render or redirect."""
import json
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citysafe.core import scope
from citysafe.emergency.coverage import coverage_report, report_geojson
from citysafe.emergency.kinds import KIND_BY_KEY
from citysafe.emergency.map_layers import MAP_LAYERS, resource_layer, shown_roads
from citysafe.emergency.models import FireStation
from citysafe.emergency.services import roads
from citysafe.registry.map.viewport import BadViewport, unprocessable, viewport_from
from kernels.coverage import FIRE_STATION_CLASSES, SHELTER_TYPES


@login_required
@require_GET
def coverage_page(request):
    report = coverage_report(request.user)
    return render(request, "emergency/coverage.html", {
        "report": report, "station_classes": FIRE_STATION_CLASSES.values(), "shelter_types": SHELTER_TYPES.values(),
        "minutes": f"{report.seconds / 60:g}"})


@login_required
@require_GET
def coverage_geojson(request):
    report = coverage_report(request.user)
    stations = scope.in_counties(request.user, FireStation.objects.filter(lon__isnull=False)).order_by("id")
    return HttpResponse(json.dumps(report_geojson(report, stations), ensure_ascii=False),
                        content_type="application/geo+json")


@login_required
@require_GET
def coverage_export(request):
    from openpyxl import Workbook

    report = coverage_report(request.user)
    book = Workbook()
    sheet = book.active
    sheet.title = _("乡镇汇总")
    sheet.append([_("乡镇"), _("面积（km²）"), _("常住人口"), _("场所"), _("5分钟覆盖场所"), _("场所人数"),
                  _("覆盖人数"), _("网格"), _("覆盖网格"), _("消防水源"), _("水源/km²"), _("避难场所有效面积（㎡）"),
                  _("避难容纳人数"), _("避难缺口（人）"), _("服务半径外人口")])
    for r in report.townships:
        sheet.append([r.area.name, round(r.km2, 2), r.population, r.places, r.places_covered, r.people,
                      r.people_covered, r.grids, r.grids_covered, r.water_sources, round(r.water_per_km2, 3),
                      round(r.shelter_area_m2, 1), r.shelter_places, r.shelter_deficit, r.beyond_radius])
    grids = book.create_sheet(_("未覆盖网格"))
    grids.append([_("网格代码"), _("网格")])
    for grid in report.uncovered_grids:
        grids.append([grid.code, grid.name])
    places = book.create_sheet(_("未覆盖场所"))
    places.append([_("场所"), _("人数"), _("经度"), _("纬度")])
    for place in report.uncovered_places:
        places.append([place["name"], place["people"], place["lon"], place["lat"]])
    sites = book.create_sheet(_("建议新建消防站站址"))
    sites.append([_("序号"), _("经度"), _("纬度"), _("新增覆盖人数")])
    for n, (lon, lat, added) in enumerate(report.sites, 1):
        sites.append([n, lon, lat, added])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="coverage.xlsx"'
    return response


@login_required
@require_GET
def resource_map(request):
    layers = {key: {"url": reverse("emergency:layer", args=[key]), "title": str(KIND_BY_KEY[key].title)}
              for key in MAP_LAYERS}
    layers["roads"] = {"url": reverse("emergency:roads-layer"), "title": _("道路网络")}
    return render(request, "emergency/map.html", {"layers": layers})


@login_required
@require_GET
def layer(request, key):
    """One resource layer; view-aware with ?bbox=&zoom= (emergency/map_layers.py)."""
    if key not in MAP_LAYERS:
        raise Http404
    try:
        viewport = viewport_from(request.GET)
    except BadViewport as error:
        return unprocessable(error)
    data = resource_layer(request.user, key, viewport, with_extent=request.GET.get("extent") == "1")
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/geo+json")
    response["Cache-Control"] = "private, no-cache"  # scoped data: never shared by a proxy
    return response


@login_required
@require_GET
def roads_layer(request):
    features = [{"type": "Feature", "geometry": geometry,
                 "properties": {"kind": "closed" if closed else "road", "name": name or road_class}}
                for geometry, closed, name, road_class in shown_roads(request.user).order_by("id").values_list(
                    "geometry", "closed", "name", "road_class")]
    return HttpResponse(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                        content_type="application/geo+json")


@login_required
def roads_page(request):
    return render(request, "emergency/roads.html", {
        "closed": shown_roads(request.user).filter(closed=True).order_by("-closed_at", "id"),
        "count": shown_roads(request.user).count(), "may_write": roads.may_write_roads(request.user),
        "max_mb": roads.MAX_BYTES // 2**20})


def _messages(exc: ValidationError) -> str:
    return "；".join(str(m) for errors in exc.message_dict.values() for m in errors)


def _road_action(request, call, success):
    try:
        call()
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ObjectDoesNotExist:
        messages.error(request, _("路段不存在"))
    else:
        messages.success(request, success)
    return redirect("emergency:roads")


@login_required
@require_POST
def roads_import(request):
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect("emergency:roads")
    if uploaded.size > roads.MAX_BYTES:
        messages.error(request, _("文件过大（上限%(mb)sMB）") % {"mb": roads.MAX_BYTES // 2**20})
        return redirect("emergency:roads")
    fmt = request.POST.get("format", "geojson")
    replace = request.POST.get("replace") == "on"
    return _road_action(request, lambda: roads.import_roads(request.user, uploaded.read(), fmt, replace=replace),
                        _("道路已导入"))


def _segment_id(request):
    try:
        return int(request.POST.get("segment_id", ""))
    except ValueError:
        return 0


@login_required
@require_POST
def roads_close(request):
    return _road_action(request, lambda: roads.close_road(request.user, _segment_id(request),
                                                          request.POST.get("reason", "")), _("道路已封闭"))


@login_required
@require_POST
def roads_reopen(request):
    return _road_action(request, lambda: roads.reopen_road(request.user, _segment_id(request)), _("道路已恢复通行"))
