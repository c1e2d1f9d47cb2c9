"""Site check pages: the form (a point by lon/lat, or a footprint as GeoJSON), the saved result
with its map, and the PDF report for the planning file."""
import json
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.siting import selectors
from citysafe.siting.models import HazardousKind, SensitiveKind, SiteCheck
from citysafe.siting.services.documents import site_check_pdf
from citysafe.siting.services.site_check import check_site


def _geometry_from(post) -> tuple[dict | None, dict]:
    text = (post.get("footprint") or "").strip()
    if text:
        try:
            value = json.loads(text)
        except ValueError:
            return None, {"geometry": [_("用地范围：不是有效的GeoJSON")]}
        return (value.get("geometry") if isinstance(value, dict) and value.get("type") == "Feature" else value), {}
    try:
        lon, lat = float(post.get("lon", "")), float(post.get("lat", ""))
    except ValueError:
        return None, {"geometry": [_("位置：请填写经纬度，或粘贴用地范围（GeoJSON）")]}
    return {"type": "Point", "coordinates": [lon, lat]}, {}


@login_required
def site_check_form(request):
    may_create = scope.may(request.user, SiteCheck, scope.Action.CREATE)
    errors, status = {}, 200
    if request.method == "POST" and may_create:
        geometry, errors = _geometry_from(request.POST)
        if not errors:
            try:
                check = check_site(request.user, project_name=request.POST.get("project_name", ""),
                                   kind=request.POST.get("kind", ""), geometry=geometry)
                return redirect("siting:site_check_detail", check.pk)
            except ValidationError as error:
                errors = {k: [str(m) for m in v] for k, v in error.message_dict.items()}
        status = 422
    return render(request, "siting/site_check_form.html", {
        "may_create": may_create, "errors": errors, "posted": request.POST,
        "kinds": [(_("敏感目标"), SensitiveKind.choices), (_("危险源"), HazardousKind.choices)],
        "checks": selectors.site_checks_for(request.user)[:20]}, status=status)


def _check(request, pk) -> SiteCheck:
    try:
        return selectors.site_check_for(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _map_features(check: SiteCheck) -> dict:
    features = [{"type": "Feature", "geometry": check.geometry, "properties": {"kind": "project", "name": check.project_name}}]
    role = "hazardous" if check.result["role"] == "sensitive" else "sensitive"
    for c in check.result["conflicts"]:
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
                         "properties": {"kind": role, "name": f"{c['name']} {c['distance_m']} m"}})
        features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [
            [check.lon, check.lat], [c["lon"], c["lat"]]]}, "properties": {"kind": "line"}})
    for line in check.result.get("lines", []):
        features.append({"type": "Feature", "geometry": line["geometry"],
                         "properties": {"kind": "pipeline", "name": f"{line['code']} {line['kind_label']}"}})
    return {"type": "FeatureCollection", "features": features}


@login_required
def site_check_detail(request, pk):
    check = _check(request, pk)
    return render(request, "siting/site_check.html", {"check": check, "r": check.result,
                                                      "geojson": _map_features(check)})


@login_required
def site_check_report(request, pk):
    check = _check(request, pk)
    content, filename = site_check_pdf(request.user, check)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
