"""Field validators that name the field and the rule; used by services, forms and the API.

Services raise `django.core.exceptions.ValidationError` with a dict {field: [messages]}
so that pages show form errors and the API answers 422 naming the field.
"""
import math
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from shapely.prepared import prep

from kernels import codes, geometry

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
# Numbers that arrive as text (page widgets, workbook cells typed as text): plain decimal
# numerals only. Python's float()/int() would also take "nan", "inf", "1e999" and "1_000".
# Bounded lengths: int() of a 5,000-digit string raises where nobody expects it.
DECIMAL_TEXT = re.compile(r"[+-]?(\d{1,20}(\.\d{0,20})?|\.\d{1,20})")
INTEGER_TEXT = re.compile(r"[+-]?\d{1,19}")


def field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


# ---- numbers -------------------------------------------------------------------------------

def parse_number(value, integer: bool = False):
    """A service input as a number, or None when it is not one. Numbers are numbers: a bool is
    refused (JSON `true` is not 1), NaN and infinity are refused, an integer must be whole
    (5.0 from a spreadsheet cell is 5, 5.5 is refused, never truncated), and text is accepted
    only as a plain decimal numeral."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (INTEGER_TEXT if integer else DECIMAL_TEXT).fullmatch(text):
            return None
        value = int(text) if integer else float(text)
    if isinstance(value, int):
        return value if integer else float(value)
    if isinstance(value, float) and math.isfinite(value):
        if integer:
            return int(value) if value.is_integer() else None
        return value
    return None


# ---- text ----------------------------------------------------------------------------------

# Line breaks and tabs belong in multi-line text (descriptions, notes), nowhere else.
MULTILINE_WHITESPACE = frozenset("\t\n\r")
# Unicode general categories refused in any text a user stores: Cc control characters (C0 and
# C1, e.g. NUL, ESC of ANSI escapes, NEL), Cf format characters (bidi embeddings, overrides and
# isolates U+202A-U+202E / U+2066-U+2069, marks U+200E/U+200F/U+061C, zero-width U+200B-U+200D,
# U+2060, U+FEFF, soft hyphen), Cs lone surrogates (not storable), Zl/Zp line and paragraph
# separators. Private-use (Co) and unassigned (Cn) code points are allowed: rare Chinese
# characters in names live there (PUA in GB 18030 systems, CJK extensions newer than this
# Python's Unicode tables).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def text_problem(value: str, multiline: bool = False) -> str | None:
    """The first refused character of `value` as "U+XXXX (position n)", or None when clean."""
    if value.isprintable():  # C-speed fast path: no Cc/Cf/Cs/Zl/Zp (nor Zs, Co, Cn) at all
        return None
    for position, char in enumerate(value, start=1):
        if multiline and char in MULTILINE_WHITESPACE:
            continue
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            return f"U+{ord(char):04X}, {position}"
    return None


def text_message(problem: str) -> str:
    code, position = problem.split(", ")
    return _("不能包含控制字符或不可见字符（第%(position)s个字符 %(code)s）") % {"position": position, "code": code}


def check_text(value: str, field: str, multiline: bool = False) -> str:
    """Text a user stores (names, codes, phones, addresses; descriptions with `multiline`):
    trimmed, and refused when it holds control, bidi-override or zero-width characters, which
    spoof what a reader sees and break Excel exports and terminals."""
    value = value.strip()
    problem = text_problem(value, multiline)
    if problem:
        raise field_error(field, text_message(problem), "text_characters")
    return value


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
    "members": gettext_noop("几何对象只能包含type、coordinates和bbox成员，多余成员"),
    "bbox": gettext_noop("bbox应为[最小经度, 最小纬度, 最大经度, 最大纬度]并包含整个几何对象"),
    "nesting": gettext_noop("坐标的数组层级与几何类型不符"),
    "coordinate_type": gettext_noop("坐标必须是数字（不能是字符串、布尔值、空值或NaN）"),
    "position": gettext_noop("每个坐标点应为[经度, 纬度]或[经度, 纬度, 高程]"),
    "too_few_positions": gettext_noop("坐标点数不足：线至少2个点，多边形的环至少4个点"),
    "ring_not_closed": gettext_noop("多边形的环必须闭合（首尾坐标相同）"),
    "too_many_vertices": gettext_noop("几何对象顶点过多：每个几何对象最多%(limit)s个顶点"),
    "coordinates": gettext_noop("坐标格式错误"),
    "empty": gettext_noop("几何对象为空"),
    "range": gettext_noop("坐标超出经纬度范围（经度-180~180，纬度-90~90）"),
    "invalid": gettext_noop("几何对象无效（例如多边形自相交）"),
    "outside": gettext_noop("位置超出本县行政区域范围"),
}


def geometry_message(problem: geometry.GeometryProblem) -> str:
    """The rule in Chinese, then where it was broken (e.g. "coordinates[0][3]")."""
    if problem.rule == "too_many_vertices":
        return _(GEOMETRY_MESSAGES["too_many_vertices"]) % {"limit": problem.detail}
    message = _(GEOMETRY_MESSAGES[problem.rule])
    return f"{message}：{problem.detail}" if problem.detail else message


def check_geometry(value: dict, field: str = "geometry", allowed=geometry.ANY_TYPES, inside_county: bool = True,
                   county: int | None = None):
    """Parse and validate a GeoJSON geometry; returns a shapely geometry. It must lie inside
    `county` (an id) when given, else inside one of the deployment's counties."""
    try:
        geom = geometry.parse_geometry(value, allowed, max_vertices=settings.GEOMETRY_MAX_VERTICES)
    except geometry.GeometryProblem as problem:
        raise field_error(field, geometry_message(problem), f"geometry_{problem.rule}") from None
    if inside_county:
        boundary = county_boundary(county)
        if boundary is not None and not boundary.covers(geom):
            raise field_error(field, _(GEOMETRY_MESSAGES["outside"]), "geometry_outside")
    return geom


def check_location(lon, lat, field: str = "location", county: int | None = None):
    """A point location given as lon/lat; returns a shapely Point (inside `county`, as check_geometry)."""
    lon, lat = parse_number(lon), parse_number(lat)
    if lon is None or lat is None:
        raise field_error(field, _("经纬度必须是数字"), "location_number")
    if not geometry.is_lon_lat(lon, lat):
        raise field_error(field, _(GEOMETRY_MESSAGES["range"]), "geometry_range")
    return check_geometry({"type": "Point", "coordinates": [lon, lat]}, field=field, county=county)


# ---- the county boundary ---------------------------------------------------------------
# Core does not know where the county outline is kept: an app registers a provider (the
# registry: its county-level Area, see registry/boundary.py). A provider returns None when it
# has no outline, or (key, load): `key` names this version of the outline (the prepared shape
# is cached per key, so a changed outline is picked up at once and an unchanged one is parsed
# once per process), `load()` returns its GeoJSON geometry. Without any, the outline file
# named by settings.COUNTY_OUTLINE_PATH bounds locations; without that, nothing does.

_BOUNDARY_PROVIDERS: list = []
_PREPARED: dict[str, object] = {}  # key -> prepared outline (a handful of versions per process)


def register_boundary_provider(provider) -> None:
    """Register `provider(county_id=None) -> (key, load) | None`; call from an AppConfig.ready().
    Without a county id: the outline of every county of the deployment (their union)."""
    if provider not in _BOUNDARY_PROVIDERS:
        _BOUNDARY_PROVIDERS.append(provider)


def county_boundary(county: int | None = None):
    """The outline of `county` (None: of the deployment's counties together), prepared, with a
    hair of tolerance; None when unknown."""
    for provider in _BOUNDARY_PROVIDERS:
        found = provider() if county is None else provider(county)
        if found is not None:
            return _prepared_boundary(*found)
    path = settings.COUNTY_OUTLINE_PATH
    if county is None and path and path.exists():  # the file is the (one) county's outline
        return _prepared_boundary(f"file:{path}", lambda: _outline_file(path))
    return None


def _outline_file(path) -> dict:
    import json

    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    features = data.get("features") or [data]
    return features[0].get("geometry", features[0])


def _prepared_boundary(key: str, load):
    prepared = _PREPARED.get(key)
    if prepared is None:
        from shapely.geometry import shape

        if len(_PREPARED) >= 16:  # a few versions of a few counties' outlines
            _PREPARED.clear()
        # buffer(0) repairs the published outline's one self-intersection; 1e-6° tolerates shared edges.
        prepared = _PREPARED[key] = prep(shape(load()).buffer(0).buffer(1e-6))
    return prepared
