"""The registry map page and the scoped layer endpoints it loads its data from."""
import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from citysafe.core.db import replica_reads
from citysafe.registry.map import base as base_layer
from citysafe.registry.map import selectors as layers
from citysafe.registry.map.families import families_config
from citysafe.registry.map.viewport import BadViewport, viewport_from
from citysafe.registry.models import Area, PlaceType
from citysafe.registry.selectors import BadQuery, list_records

GEOJSON = "application/geo+json"
_PK_SENTINEL = 987654321
# A database key: ASCII digits that fit a 64-bit integer.
_ID = re.compile(r"[0-9]{1,18}")


def _detail_url_template(resource: str) -> str:
    """The registry detail page of one record, with `{id}` where the script puts the key."""
    return reverse("registry:detail", args=[resource, _PK_SENTINEL]).replace(str(_PK_SENTINEL), "{id}")


def _filter_options(user) -> dict:
    return {
        "townships": list(list_records(user, "areas", filters={"level": Area.Level.TOWNSHIP}, ordering="code")
                          .values_list("id", "name")),
        "industries": list(list_records(user, "industries", ordering="code").values_list("id", "name")),
        "place_types": [(value, str(label)) for value, label in PlaceType.choices],
    }


def _map_text() -> dict:
    """Words the script shows; translated here so the script itself holds none."""
    return {
        "townships": _("乡镇边界"), "villages": _("村（社区）边界"), "grids": _("网格"),
        "enterprises": _("企业"), "placePrefix": _("场所："), "name": _("名称"), "type": _("类型"),
        "industry": _("行业"), "township": _("乡镇"), "detail": _("查看详情"),
        "loading": _("正在加载图层……"), "loaded": _("已加载：企业 {enterprises} 家，场所设施 {places} 处"),
        "failed": _("图层加载失败，请刷新重试"),
        "base": _("底图（县界、河流、乡镇）"), "legend": _("图例"), "county": _("县界"),
        "river": _("河流湖泊"), "seat": _("乡镇驻地"),
    }


@login_required
@require_GET
def map_page(request):
    config = {
        "layers": {name: reverse("registry_map:layer", args=[name]) for name in layers.LAYERS},
        "base": reverse("registry_map:base"),
        "families": families_config(),
        "detail": {"enterprise": _detail_url_template("enterprises"), "place": _detail_url_template("places")},
        "placeTypes": {value: str(label) for value, label in PlaceType.choices},
        "text": _map_text(),
    }
    return render(request, "registry/map/page.html", {"map_config": config, "options": _filter_options(request.user)})


class BadFilter(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _parse_filters(layer: str, params) -> dict:
    """Query parameters → list filters. Bad values are named (422), never passed to the ORM."""
    filters = {}
    for param, field in layers.LAYER_FILTERS[layer].items():
        value = params.get(param, "").strip()
        if not value:
            continue
        if param == "type":
            if value not in PlaceType.values:
                raise BadFilter(param, _("场所类型“%(value)s”不存在") % {"value": value})
        elif not _ID.fullmatch(value):
            label = _("乡镇") if param == "township" else _("行业")
            raise BadFilter(param, _("%(label)s筛选须为编号（数字），收到“%(value)s”") % {"label": label, "value": value})
        filters[field] = value
    return filters


@gzip_page
@require_GET
def layer_geojson(request, layer: str):
    if layer not in layers.LAYERS:
        raise Http404
    if not request.user.is_authenticated:
        # A script asking for data gets a status it can act on, not the login page.
        return JsonResponse({"detail": _("请先登录")}, status=401)
    try:
        filters = _parse_filters(layer, request.GET)
        if layer in layers.AREA_LAYERS:
            with replica_reads():  # on the read replica when there is one (core.db)
                body = layers.area_layer_json(request.user, layer, filters)
            response = HttpResponse(body, content_type=GEOJSON)
        else:
            # Validate before streaming starts: once the first byte is sent the status is fixed.
            chunks = layers.point_layer_chunks(request.user, layer, filters, viewport_from(request.GET))
            first = next(chunks)
            response = StreamingHttpResponse(_prepend(first, chunks), content_type=GEOJSON)
    except (BadFilter, BadQuery, BadViewport) as error:
        # `field`/`message` for the page script; `loc`/`msg`/`type` as every other 422 of the project.
        return JsonResponse({"detail": [{"field": error.field, "message": str(error), "loc": ["query", error.field],
                                         "msg": str(error), "type": "value_error"}]}, status=422)
    # Scoped data: never shared by a proxy between users.
    response["Cache-Control"] = "private, no-cache"
    return response


def _prepend(first: str, rest):
    yield first
    yield from rest


@gzip_page
@require_GET
def base_geojson(request):
    """County outline, water and the caller's townships with names and seats."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("请先登录")}, status=401)
    response = HttpResponse(base_layer.base_layer_json(request.user), content_type=GEOJSON)
    response["Cache-Control"] = "private, no-cache"
    return response
