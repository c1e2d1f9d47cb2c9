"""Reading external CAP alerts (1.0, 1.1 or 1.2; any encoding the XML declares — libxml2
converts GB2312/GBK/GB18030 and UTF-16 alike) into the fields of a draft warning.

Hostile XML is refused without being resolved: lxml parses with resolve_entities=False,
no_network=True, load_dtd=False, huge_tree=False, and any document that carries a DOCTYPE
(where entity declarations live: "billion laughs", external entities) is refused outright —
a CAP message never needs one. The size is bounded before parsing (CAP_IMPORT_MAX_BYTES)."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from citysafe.early_warning.cap import CAP10, CAP11, CAP12, LEVEL_FOR_SEVERITY

NAMESPACES = {CAP12: "1.2", CAP11: "1.1", CAP10: "1.0"}

# Event words (Chinese and English) → warning type; the first that occurs in the event wins.
EVENT_WORDS = [
    ("rainstorm", ("暴雨", "rainstorm", "heavy rain")), ("flood", ("洪水", "山洪", "flood")),
    ("landslide", ("滑坡", "泥石流", "地质灾害", "landslide", "debris")), ("earthquake", ("地震", "earthquake")),
    ("thunder", ("雷电", "雷暴", "thunder")), ("gale", ("大风", "wind", "gale")),
    ("sand_dust", ("沙尘", "dust", "sand")), ("snow_ice", ("暴雪", "道路结冰", "冰冻", "snow", "ice", "winter")),
    ("hail", ("冰雹", "hail")), ("fog", ("大雾", "霾", "fog")), ("heat", ("高温", "heat")),
    ("cold_wave", ("寒潮", "cold", "freeze")), ("fire", ("火险", "火灾", "fire")),
    ("hazchem_leak", ("危化", "化学", "chemical", "hazmat")), ("gas_leak", ("燃气", "gas leak")),
]


class CapError(ValueError):
    """Not acceptable as CAP: `field` names where (file, identifier, info …), the message why."""

    def __init__(self, field: str, message: str, code: str):
        super().__init__(message)
        self.field, self.message, self.code = field, message, code


@dataclass
class ParsedAlert:
    version: str
    identifier: str
    sender: str
    sent: datetime
    msg_type: str
    fields: dict = field(default_factory=dict)
    polygons: list = field(default_factory=list)      # lists of (lon, lat)
    circles: list = field(default_factory=list)       # (lon, lat, radius_km)
    geocodes: list = field(default_factory=list)      # values


def max_bytes() -> int:
    return int(getattr(settings, "CAP_IMPORT_MAX_BYTES", 1_000_000))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


_DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                     for encoding in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))


def _declares_dtd(data: bytes) -> bool:
    """First line: refuse before parsing (a clear reason, no work spent on the document). The
    second line is the parsed document's docinfo (any encoding libxml2 reads)."""
    upper = data.upper()  # bounded by CAP_IMPORT_MAX_BYTES
    return any(marker in upper for marker in _DTD_MARKERS)


def read_document(data: bytes) -> etree._Element:
    if not isinstance(data, bytes | bytearray):
        raise CapError("file", _("CAP消息必须是文件内容（字节）"), "cap_type")
    if len(data) > max_bytes():
        raise CapError("file", _("CAP文件过大（不超过%(n)d字节）") % {"n": max_bytes()}, "cap_too_large")
    if _declares_dtd(bytes(data)):
        raise CapError("file", _("拒绝含DOCTYPE/实体声明的XML（可能是恶意文件）"), "xml_doctype")
    try:
        tree = etree.fromstring(bytes(data), _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise CapError("file", _("不是格式正确的XML：%(error)s") % {"error": str(exc)[:200]}, "xml_malformed") from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise CapError("file", _("拒绝含DOCTYPE/实体声明的XML（可能是恶意文件）"), "xml_doctype")
    return tree.getroot()


def _text(parent, name: str, ns: str) -> str:
    element = parent.find(f"{{{ns}}}{name}")
    return (element.text or "").strip() if element is not None else ""


def _time(value: str, where: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CapError(where, _("时间格式不正确：%(value)s") % {"value": value[:40]}, "cap_time") from None
    if parsed.tzinfo is None:
        raise CapError(where, _("时间必须带时区：%(value)s") % {"value": value[:40]}, "cap_time")
    return parsed


def _pairs(text: str, where: str) -> list[tuple[float, float]]:
    points = []
    for pair in text.split():
        try:
            lat, lon = (float(x) for x in pair.split(","))
        except ValueError:
            raise CapError(where, _("坐标格式不正确（应为“纬度,经度”）：%(v)s") % {"v": pair[:40]}, "cap_polygon") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise CapError(where, _("坐标超出经纬度范围：%(v)s") % {"v": pair[:40]}, "cap_polygon")
        points.append((lon, lat))
    return points


def _choose_info(infos, ns):
    for info in infos:
        if _text(info, "language", ns).lower().startswith("zh"):
            return info
    return infos[0]


def warning_type_for(event: str) -> str:
    lowered = event.lower()
    for key, words in EVENT_WORDS:
        if any(word in lowered for word in words):
            return key
    return "other"


def parse_alert(data: bytes) -> ParsedAlert:
    root = read_document(data)
    ns = etree.QName(root).namespace
    if etree.QName(root).localname != "alert" or ns not in NAMESPACES:
        raise CapError("file", _("不是CAP消息（根元素应为CAP 1.1或1.2命名空间的alert）"), "not_cap")
    identifier, sender = _text(root, "identifier", ns), _text(root, "sender", ns)
    sent = _time(_text(root, "sent", ns), "sent")
    msg_type = _text(root, "msgType", ns)
    for name, value in (("identifier", identifier), ("sender", sender), ("sent", sent), ("msgType", msg_type)):
        if not value:
            raise CapError(name, _("CAP消息缺少必填元素%(name)s") % {"name": name}, "cap_missing")
    if msg_type not in ("Alert", "Update", "Cancel"):
        raise CapError("msgType", _("只导入Alert、Update、Cancel类型的消息"), "cap_msg_type")
    infos = root.findall(f"{{{ns}}}info")
    if not infos:
        raise CapError("info", _("CAP消息没有info（预警内容）"), "cap_missing")
    info = _choose_info(infos, ns)
    english = next((i for i in infos if _text(i, "language", ns).lower().startswith("en") and i is not info), None)
    event = _text(info, "event", ns)
    severity = _text(info, "severity", ns)
    effective = _time(_text(info, "effective", ns), "effective") or sent
    onset = _time(_text(info, "onset", ns), "onset") or effective
    expires = _time(_text(info, "expires", ns), "expires") or effective + timedelta(hours=24)
    headline = _text(info, "headline", ns) or event
    fields = {
        "warning_type": warning_type_for(event + " " + headline),
        "level": LEVEL_FOR_SEVERITY.get(severity, 4),
        "headline": headline[:200], "description": _text(info, "description", ns) or headline,
        "instructions": _text(info, "instruction", ns),
        "onset": onset, "effective": effective, "expires": expires,
    }
    if english is not None:
        fields.update(headline_en=(_text(english, "headline", ns) or _text(english, "event", ns))[:200],
                      description_en=_text(english, "description", ns),
                      instructions_en=_text(english, "instruction", ns))
    parsed = ParsedAlert(NAMESPACES[ns], identifier, sender, sent, msg_type, fields)
    descriptions = []
    for area in info.findall(f"{{{ns}}}area"):
        descriptions.append(_text(area, "areaDesc", ns))
        for polygon in area.findall(f"{{{ns}}}polygon"):
            points = _pairs(polygon.text or "", "polygon")
            if len(points) < 4 or points[0] != points[-1]:
                raise CapError("polygon", _("多边形至少4个点且首尾相同"), "cap_polygon")
            parsed.polygons.append(points)
        for circle in area.findall(f"{{{ns}}}circle"):
            try:
                centre, radius = (circle.text or "").split()
                (lon, lat), = _pairs(centre, "circle")
                parsed.circles.append((lon, lat, float(radius)))
            except (ValueError, TypeError):
                raise CapError("circle", _("圆形区域格式不正确（应为“纬度,经度 半径公里”）"), "cap_circle") from None
        for geocode in area.findall(f"{{{ns}}}geocode"):
            value = _text(geocode, "value", ns)
            if value:
                parsed.geocodes.append(value)
    fields["area_description"] = "；".join(d for d in descriptions if d)[:300]
    return parsed
