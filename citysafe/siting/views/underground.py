"""Underground infrastructure pages: the map of lines by kind (scoped GeoJSON layer, legend) and
the dig check (开挖核查): draw or paste the excavation, get the lines within N metres."""
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from citysafe.core import scope
from citysafe.registry.map.viewport import BadViewport, unprocessable, viewport_from
from citysafe.siting import underground_selectors as selectors
from citysafe.siting.services.dig_check import DEFAULT_METRES, DIG_CHECK, MAX_METRES, dig_check
from citysafe.siting.underground_selectors import BadLayerFilter


def _map_config(request) -> dict:
    return {"layer": reverse("siting:underground_geojson"), "base": reverse("registry_map:base"),
            "kinds": selectors.legend(),
            "text": {"legend": _("图例"), "loading": _("正在加载管线……"), "failed": _("管线图层加载失败，请刷新重试"),
                     "loaded": _("已加载管线 {n} 条"), "diameter": _("管径"), "depth": _("埋深"),
                     "owner": _("权属单位"), "detail": _("查看详情"), "excavation": _("开挖范围")}}


@login_required
@require_GET
def underground_map(request):
    return render(request, "siting/underground_map.html", {"map_config": _map_config(request),
                                                           "counts": selectors.counts_by_kind(request.user)})


@gzip_page
@require_GET
def underground_geojson(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("请先登录")}, status=401)
    try:
        data = selectors.layer(request.user, kind=request.GET.get("kind", ""), viewport=viewport_from(request.GET),
                              with_extent=request.GET.get("extent") == "1")
    except BadViewport as error:
        return unprocessable(error)
    except BadLayerFilter as error:
        return JsonResponse({"detail": [{"loc": ["query", "kind"], "msg": str(error), "type": "literal_error"}]},
                            status=422)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, no-cache"
    return response


def _geometry_from(text: str):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"geometry": [ValidationError(_("开挖范围：请在地图上画出，或粘贴GeoJSON"),
                                                            code="required")]})
    try:
        value = json.loads(text)
    except ValueError:
        raise ValidationError({"geometry": [ValidationError(_("开挖范围：不是有效的GeoJSON"), code="json")]}) from None
    return value.get("geometry") if isinstance(value, dict) and value.get("type") == "Feature" else value


@login_required
def dig_check_page(request):
    if not scope.may(request.user, DIG_CHECK, scope.Action.CREATE):
        raise PermissionDenied
    result, errors, status, excavation = None, {}, 200, None
    posted = {"metres": f"{DEFAULT_METRES:g}"}
    if request.method == "POST":
        posted = request.POST
        try:
            excavation = _geometry_from(request.POST.get("geometry", ""))
            result = dig_check(request.user, excavation, request.POST.get("metres", "").strip() or DEFAULT_METRES)
        except ValidationError as error:
            errors = {k: [str(m) for m in v] for k, v in error.message_dict.items()}
            status, excavation = 422, None
    config = _map_config(request)
    config["draw"] = True
    drawn = {"type": "FeatureCollection", "features": []}
    if result is not None:
        drawn["features"].append({"type": "Feature", "geometry": excavation, "properties": {"kind": "excavation"}})
        drawn["features"] += [{"type": "Feature", "geometry": h.geometry,
                               "properties": {"kind": h.kind, "hit": True, "name": f"{h.code} {h.kind_label}",
                                              "distance": h.distance_m}} for h in result.hits]
    return render(request, "siting/dig_check.html", {
        "map_config": config, "result": result, "errors": errors, "posted": posted, "drawn": drawn,
        "max_metres": MAX_METRES}, status=status)
