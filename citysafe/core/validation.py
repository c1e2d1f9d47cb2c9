"""Field validators that name the field and the rule; used by services, forms and the API.

Services raise `django.core.exceptions.ValidationError` with a dict {field: [messages]}
so that pages show form errors and the API answers 422 naming the field.
"""
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from shapely.prepared import prep

from kernels import codes, geometry

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def check_uscc(value: str, field: str = "uscc") -> str:
    value = (value or "").strip().upper()
    problem = codes.uscc_problem(value)
    messages = {
        "length": _("统一社会信用代码应为18位（GB 32100）"),
        "alphabet": _("统一社会信用代码含有不允许的字符（不得使用I、O、Z、S、V）"),
        "check": _("统一社会信用代码校验码错误（GB 32100 加权模31）"),
    }
    if problem:
        raise field_error(field, messages[problem], f"uscc_{problem}")
    return value


def check_id_number(value: str, field: str = "id_number") -> str:
    value = (value or "").strip().upper()
    problem = codes.id_number_problem(value)
    messages = {
        "length": _("身份证号码应为18位"),
        "digits": _("身份证号码前17位应为数字，末位为数字或X"),
        "birthdate": _("身份证号码中的出生日期无效"),
        "check": _("身份证号码校验码错误（ISO 7064 MOD 11-2）"),
    }
    if problem:
        raise field_error(field, messages[problem], f"id_number_{problem}")
    return value


def check_phone(value: str, field: str = "phone") -> str:
    value = (value or "").strip().replace(" ", "")
    if not PHONE_RE.match(value):
        raise field_error(field, _("电话号码格式不正确：手机号为11位（1开头），固定电话为区号加7-8位号码"), "phone_format")
    return value


GEOMETRY_MESSAGES = {
    "not_geojson": gettext_noop("几何对象不是有效的GeoJSON"),
    "type": gettext_noop("几何类型不允许"),
    "coordinates": gettext_noop("坐标格式错误"),
    "empty": gettext_noop("几何对象为空"),
    "range": gettext_noop("坐标超出经纬度范围（经度-180~180，纬度-90~90）"),
    "invalid": gettext_noop("几何对象无效（例如多边形自相交）"),
    "outside": gettext_noop("位置超出本县行政区域范围"),
}


def check_geometry(value: dict, field: str = "geometry", allowed=geometry.ANY_TYPES, inside_county: bool = True):
    """Parse and validate a GeoJSON geometry; returns a shapely geometry."""
    try:
        geom = geometry.parse_geometry(value, allowed)
    except geometry.GeometryProblem as problem:
        message = _(GEOMETRY_MESSAGES[problem.rule])
        if problem.detail:
            message = f"{message}：{problem.detail}"
        raise field_error(field, message, f"geometry_{problem.rule}") from None
    if inside_county:
        boundary = county_boundary()
        if boundary is not None and not boundary.covers(geom):
            raise field_error(field, _(GEOMETRY_MESSAGES["outside"]), "geometry_outside")
    return geom


def check_location(lon, lat, field: str = "location"):
    """A point location given as lon/lat; returns a shapely Point."""
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise field_error(field, _("经纬度必须是数字"), "location_number") from None
    if not geometry.is_lon_lat(lon, lat):
        raise field_error(field, _(GEOMETRY_MESSAGES["range"]), "geometry_range")
    return check_geometry({"type": "Point", "coordinates": [lon, lat]}, field=field)


def county_boundary():
    """The county outline (prepared, with a hair of tolerance), or None when unknown."""
    from citysafe.registry.models import Area  # registry owns areas; imported late to avoid a cycle

    # Only the key and version here: the outline itself is loaded once per version, in the cache.
    county = (Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True)
              .filter(geometry__isnull=False).order_by("id").only("id", "updated_at").first())
    if county is not None:
        return _prepared_boundary(county.pk, county.updated_at.isoformat(), None)
    path = settings.COUNTY_OUTLINE_PATH
    if path and path.exists():
        return _prepared_boundary(None, None, str(path))
    return None


@lru_cache(maxsize=4)
def _prepared_boundary(area_id, version, path):
    import json

    from shapely.geometry import shape

    from citysafe.registry.models import Area

    if area_id is not None:
        geojson = Area.objects.get(pk=area_id).geometry
    else:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        features = data.get("features") or [data]
        geojson = features[0].get("geometry", features[0])
    # buffer(0) repairs the published outline's one self-intersection; 1e-6° tolerates shared edges.
    return prep(shape(geojson).buffer(0).buffer(1e-6))
