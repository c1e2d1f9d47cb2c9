"""The four-colour map page, its scoped layer endpoints, the risk card, server-rendered PNG/PDF
downloads, and the public version (no login; 404 while unpublished)."""
import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods

from citysafe.core import scope
from citysafe.core.db import replica_reads
from citysafe.core.roles import Role
from citysafe.registry.counties import own_county_id, public_county
from citysafe.registry.map.viewport import BadViewport, viewport_from
from citysafe.registry.models import Area
from citysafe.registry.selectors import list_records
from citysafe.risks.map import cards, layers, printing
from citysafe.risks.map.publication import mark_sensitive, may_publish, publish_risk_map
from citysafe.risks.models import LEVEL_HEX, RiskLevel, RiskPoint

GEOJSON = "application/geo+json"
_ID = re.compile(r"[0-9]{1,18}")
_PK_SENTINEL = 987654321


def _in_scope(read):
    """Outside the caller's scope a record does not exist: 404, as everywhere."""
    try:
        return read()
    except ObjectDoesNotExist:
        raise Http404 from None


class BadFilter(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def parse_filters(params) -> dict:
    """Query parameters → layer filters; a bad value is named (422), never given to the ORM."""
    filters = {}
    for name in ("township", "industry"):
        value = (params.get(name) or "").strip()
        if value:
            if not _ID.fullmatch(value):
                label = _("乡镇") if name == "township" else _("行业")
                raise BadFilter(name, _("%(label)s筛选须为编号（数字），收到“%(value)s”") % {
                    "label": label, "value": value[:20]})
            filters[name] = int(value)
    value = (params.get("type") or "").strip()
    if value:
        if value not in RiskPoint.Category.values:
            raise BadFilter("type", _("风险点类型“%(value)s”不存在，可选：%(choices)s") % {
                "value": value[:20], "choices": "、".join(RiskPoint.Category.values)})
        filters["type"] = value
    value = (params.get("level") or "").strip()
    if value:
        if value not in {str(v) for v in RiskLevel.values}:
            raise BadFilter("level", _("风险等级须为0至4的数字（1重大 2较大 3一般 4低 0未评估），收到“%(value)s”") % {
                "value": value[:20]})
        filters["level"] = int(value)
    return filters


def _bad(error: BadFilter) -> JsonResponse:
    return JsonResponse({"detail": [{"loc": ["query", error.field], "msg": str(error), "type": "value_error"}]},
                        status=422)


def _level_config() -> list[dict]:
    return [{"level": level, "label": str(label), "colour": LEVEL_HEX[level]} for level, label in RiskLevel.choices]


def _map_text() -> dict:
    return {
        "townships": _("乡镇风险等级"), "grids": _("网格风险等级"), "points": _("风险点"),
        "installations": _("重大危险源"), "gatherings": _("进行中的大型活动"), "legend": _("图例"),
        "raised": _("临时提级区域"), "raisedBecause": _("提级原因："), "loading": _("正在加载图层……"),
        "loaded": _("已加载：风险点 {points} 个，重大危险源 {installations} 处"), "failed": _("图层加载失败，请刷新重试"),
        "level": _("风险等级"), "township": _("乡镇"), "counts": _("重大/较大/一般/低"), "measures": _("管控措施"),
        "persons": _("责任人"), "lastAssessment": _("最近评估"), "none": _("无"), "detail": _("查看详情"),
        "cardPdf": _("风险告知卡（PDF）"), "controlLevel": _("管控层级"), "attendance": _("预计人数"),
        "time": _("时间"), "grade": _("级别"), "base": _("底图（县界、河流）"), "category": _("类型"),
        "installationMark": _("重大危险源（三角形，黑框）"), "gatheringMark": _("大型活动（星形）"),
    }


def _options(user) -> dict:
    return {
        "townships": list(list_records(user, "areas", filters={"level": Area.Level.TOWNSHIP}, ordering="code")
                          .values_list("id", "name")),
        "industries": list(list_records(user, "industries", ordering="code").values_list("id", "name")),
        "types": list(RiskPoint.Category.choices),
        "levels": list(RiskLevel.choices),
    }


def _config(*, public: bool) -> dict:
    prefix = "risk_map:public_layer" if public else "risk_map:layer"
    config = {
        "layers": {name: reverse(prefix, args=[name]) for name in layers.LAYERS},
        "levels": _level_config(), "text": _map_text(), "public": public,
        "base": reverse("risk_map:public_base") if public else reverse("registry_map:base"),
    }
    if not public:
        config["card"] = reverse("risk_map:card", args=[_PK_SENTINEL]).replace(str(_PK_SENTINEL), "{id}")
        config["cardPdf"] = reverse("risk_map:card_pdf", args=[_PK_SENTINEL]).replace(str(_PK_SENTINEL), "{id}")
        config["detail"] = reverse("risks:detail", args=["risk-points", _PK_SENTINEL]).replace(
            str(_PK_SENTINEL), "{id}")
    return config


@login_required
@require_GET
def map_page(request):
    context = {"map_config": _config(public=False), "options": _options(request.user),
               "may_publish": may_publish(request.user), "publication": layers.current_publication(),
               "title": printing.map_title(request.user, None)}
    return render(request, "risks/map/page.html", context)


def _layer_response(viewer, layer: str, params) -> HttpResponse:
    if layer not in layers.LAYERS:
        raise Http404
    try:
        filters = parse_filters(params)
        viewport = viewport_from(params)
    except (BadFilter, BadViewport) as error:
        return _bad(error)
    with replica_reads():  # every feature in the view: on the read replica when there is one (core.db)
        body = layers.layer_json(viewer, layer, filters, viewport)
    response = HttpResponse(body, content_type=GEOJSON)
    response["Cache-Control"] = "private, no-cache"
    return response


@gzip_page
@require_GET
def layer_geojson(request, layer: str):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": [{"loc": [], "msg": _("请先登录"), "type": "not_authenticated"}]}, status=401)
    return _layer_response(layers.Viewer(user=request.user), layer, request.GET)


@require_GET
def card(request, pk: int):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": [{"loc": [], "msg": _("请先登录"), "type": "not_authenticated"}]}, status=401)
    card_data = _in_scope(lambda: cards.card_data(request.user, pk))
    return JsonResponse(card_data, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def download(request, fmt: str):
    if fmt not in ("png", "pdf"):
        raise Http404
    try:
        filters = parse_filters(request.GET)
    except BadFilter as error:
        return _bad(error)
    township = _in_scope(lambda: _township_for(request.user, filters.get("township")))
    content, filename = printing.render_for(request.user, fmt=fmt, filters=filters, township=township)
    response = HttpResponse(content, content_type=printing.FORMATS[fmt])
    response["Content-Disposition"] = printing.disposition(filename)
    response["Cache-Control"] = "private, no-cache"
    return response


def _township_for(user, township_id):
    """The township a print is of: the filter's (in scope, else 404), or a township officer's own."""
    if township_id:
        return scope.get_in_scope(user, Area.objects.filter(level=Area.Level.TOWNSHIP), township_id)
    if user.role == Role.TOWNSHIP and user.organisation and user.organisation.area_id:
        return user.organisation.area
    return None


@login_required
@require_GET
def card_pdf(request, pk: int):
    from citysafe.risks.printouts.card import card_pdf_for

    content, filename = _in_scope(lambda: card_pdf_for(request.user, pk))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = printing.disposition(filename)
    return response


# ---- publication (admin) ----------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def publication_page(request):
    if not may_publish(request.user):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("publish", "withdraw"):
                publish_risk_map(request.user, published=action == "publish",
                                 hide_installations=bool(request.POST.get("hide_installations")),
                                 hide_enterprise_names=bool(request.POST.get("hide_enterprise_names")),
                                 hide_gatherings=bool(request.POST.get("hide_gatherings")),
                                 note=request.POST.get("note", ""))
            elif action in ("mark", "unmark"):
                pk = request.POST.get("pk", "")
                if not _ID.fullmatch(pk):
                    raise ValidationError({"pk": [_("编号须为数字")]})
                _in_scope(lambda: mark_sensitive(request.user, request.POST.get("resource", ""), int(pk),
                                                 action == "mark"))
            return redirect("risk_map:publication")
        except ValidationError as exc:
            error = "；".join(m for messages in exc.message_dict.values() for m in messages)
    context = {
        "publication": layers.current_publication(own_county_id(request.user)),
        # The admin's own county's publications (core.scope: the county table's rows of its county).
        "history": list(scope.narrow(request.user, layers.RiskMapPublication.objects.select_related("published_by"))[:10]),
        "sensitive_points": list(scope.narrow(request.user, RiskPoint.objects.filter(is_sensitive=True))
                                 .order_by("id")[:200]),
        "sensitive_installations": list(scope.narrow(request.user, layers.MajorHazardInstallation.objects
                                                     .filter(is_sensitive=True)).select_related("enterprise")
                                        .order_by("id")[:200]),
        "error": error,
    }
    return render(request, "risks/map/publication.html", context, status=422 if error else 200)


# ---- public version: no login ----------------------------------------------------------

def _public_viewer(request) -> layers.Viewer:
    """The published map of one county: `?county=<code>`, else the home county's. With several
    counties in the deployment, only that county's rows are shown, and only once it published."""
    county, home, several = public_county(request.GET.get("county", ""))
    publication = layers.current_publication(county) if county is not None else None
    if publication is None:
        raise Http404(_("公开风险图尚未发布"))
    return layers.Viewer(user=None, publication=publication, county=county if several else None, home=home)


@require_GET
def public_page(request):
    viewer = _public_viewer(request)
    townships = Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True)
    if viewer.county is not None:
        townships = townships.filter(county_id=viewer.county)
    config, code = _config(public=True), request.GET.get("county", "")
    if code:  # a county's own public map: its base layer and every layer request name it too
        config["base"] += "?" + urlencode({"county": code})
    context = {"map_config": config, "public_county": code, "publication": viewer.publication,
               "title": printing.map_title(None, None),
               "options": {"types": list(RiskPoint.Category.choices), "levels": list(RiskLevel.choices),
                           "townships": list(townships.order_by("code").values_list("id", "name")),
                           "industries": []}}
    return render(request, "risks/map/public.html", context)


@gzip_page
@require_GET
def public_layer(request, layer: str):
    return _layer_response(_public_viewer(request), layer, request.GET)


@gzip_page
@require_GET
def public_base(request):
    from citysafe.registry.map.base import static_base_features

    viewer = _public_viewer(request)
    townships = [{"type": "Feature", "geometry": f["geometry"], "properties": {"kind": "township", "name":
                  f["properties"]["name"], "id": f["id"]}} for f in layers._public_outlines("townships", {}, viewer.county)]
    features = static_base_features() + townships
    response = HttpResponse(layers._dumps({"type": "FeatureCollection", "layer": "base", "features": features}),
                            content_type=GEOJSON)
    response["Cache-Control"] = "public, max-age=300"
    return response

