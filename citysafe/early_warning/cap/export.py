"""A published warning version as a CAP 1.2 alert (lxml), valid against cap12.xsd
(settings.CAP_SCHEMA_PATH; the tests validate every level and message type).

Rules the schema does not make and we keep: Update/Cancel carry `references` to the version
they replace; sent ≤ effective ≤ expires; polygons and circles are written "lat,lon" (CAP's
order, the reverse of GeoJSON's); the area codes are the townships' administrative codes."""
from zoneinfo import ZoneInfo

from django.conf import settings
from lxml import etree
from shapely.geometry import Polygon, shape

from citysafe.early_warning.cap import CAP12, SEVERITY
from citysafe.early_warning.models import MessageType, Warning, WarningType

BEIJING = ZoneInfo("Asia/Shanghai")
W = WarningType
CATEGORY = {W.RAINSTORM: "Met", W.FLOOD: "Met", W.THUNDER: "Met", W.GALE: "Met", W.SAND_DUST: "Met",
            W.SNOW_ICE: "Met", W.HAIL: "Met", W.FOG: "Met", W.HEAT: "Met", W.COLD_WAVE: "Met",
            W.LANDSLIDE: "Geo", W.EARTHQUAKE: "Geo", W.FIRE: "Fire", W.HAZCHEM_LEAK: "CBRNE",
            W.GAS_LEAK: "Safety", W.CROWD: "Safety", W.OTHER: "Other"}
URGENCY = {1: "Immediate", 2: "Immediate", 3: "Expected", 4: "Future"}
EVENT_EN = {W.RAINSTORM: "Rainstorm", W.FLOOD: "Flood", W.LANDSLIDE: "Landslide and debris flow",
            W.EARTHQUAKE: "Earthquake", W.THUNDER: "Thunder and lightning", W.GALE: "Gale", W.SAND_DUST: "Sand and dust",
            W.SNOW_ICE: "Snow and ice", W.HAIL: "Hail", W.FOG: "Fog", W.HEAT: "Heat", W.COLD_WAVE: "Cold wave",
            W.FIRE: "Forest and grassland fire", W.HAZCHEM_LEAK: "Hazardous chemical leak", W.GAS_LEAK: "Gas leak",
            W.CROWD: "Crowd", W.OTHER: "Other"}
COLOUR_EN = {1: "Red", 2: "Orange", 3: "Yellow", 4: "Blue"}


class CapRuleError(ValueError):
    """A cross-field rule of CAP broken by the data (the export refuses to write it)."""


def cap_time(value) -> str:
    """Beijing time with the offset, as cap12.xsd's pattern wants (no fraction, no 'Z')."""
    return value.astimezone(BEIJING).replace(microsecond=0).isoformat()


def sender() -> str:
    return getattr(settings, "CAP_SENDER", "citysafe@622926.gov.cn")


def _sub(parent, name: str, text=None):
    element = etree.SubElement(parent, f"{{{CAP12}}}{name}")
    if text is not None:
        element.text = str(text)
    return element


def _ring_text(ring) -> str:
    # CAP: "lat,lon" pairs separated by spaces, first = last, at least 4 pairs.
    return " ".join(f"{lat:.6f},{lon:.6f}" for lon, lat, *_ in ring.coords)


def _polygons(geom, tolerance: float = 0.0005) -> list[str]:
    if geom is None or geom.is_empty:
        return []
    parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    texts = []
    for part in parts:
        if isinstance(part, Polygon):
            simple = part.simplify(tolerance, preserve_topology=True)
            texts.append(_ring_text((simple if not simple.is_empty else part).exterior))
    return texts


def check_rules(warning: Warning) -> None:
    if warning.msg_type != MessageType.ALERT and warning.previous is None:
        raise CapRuleError("Update/Cancel must reference the version it replaces")
    if not max(warning.effective, warning.sent_at) <= warning.expires:
        raise CapRuleError("sent <= effective <= expires does not hold")


def references_text(previous: Warning) -> str:
    return f"{sender()},{previous.identifier},{cap_time(previous.sent_at)}"


def _info(alert, warning: Warning, language: str) -> None:
    english = language == "en-US"
    info = _sub(alert, "info")
    _sub(info, "language", language)
    _sub(info, "category", CATEGORY.get(warning.warning_type, "Other"))
    event = EVENT_EN[warning.warning_type] if english else warning.get_warning_type_display()
    _sub(info, "event", event)
    _sub(info, "responseType", "AllClear" if warning.msg_type == MessageType.CANCEL else "Prepare")
    _sub(info, "urgency", "Past" if warning.msg_type == MessageType.CANCEL else URGENCY[warning.level])
    _sub(info, "severity", SEVERITY[warning.level])
    _sub(info, "certainty", "Observed" if warning.msg_type == MessageType.CANCEL else "Likely")
    code = _sub(info, "eventCode")
    _sub(code, "valueName", "CitySafe")
    _sub(code, "value", f"{warning.warning_type}-{COLOUR_EN[warning.level].lower()}")
    # sent ≤ effective: an effective time before publication is written as the sending time.
    _sub(info, "effective", cap_time(max(warning.effective, warning.sent_at)))
    _sub(info, "onset", cap_time(warning.onset))
    _sub(info, "expires", cap_time(warning.expires))
    _sub(info, "senderName", warning.issuing_department.name)
    if english:
        _sub(info, "headline", warning.headline_en)
        if warning.description_en:
            _sub(info, "description", warning.description_en)
        if warning.instructions_en:
            _sub(info, "instruction", warning.instructions_en)
    else:
        _sub(info, "headline", warning.headline)
        _sub(info, "description", warning.description)
        if warning.instructions:
            _sub(info, "instruction", warning.instructions)
    param = _sub(info, "parameter")
    _sub(param, "valueName", "alertColor")
    _sub(param, "value", COLOUR_EN[warning.level])
    _area(info, warning)


def _area(info, warning: Warning) -> None:
    area = _sub(info, "area")
    townships = list(warning.townships.order_by("code"))
    description = warning.area_description or "、".join(t.name for t in townships) or warning.headline
    _sub(area, "areaDesc", description)
    if warning.area_kind == "circle" and warning.circle_radius_km:
        _sub(area, "circle", f"{warning.circle_lat:.6f},{warning.circle_lon:.6f} {warning.circle_radius_km:g}")
    else:
        from citysafe.early_warning.areas import area_shape

        geom = shape(warning.geometry) if warning.area_kind == "polygon" and warning.geometry else area_shape(warning)
        for text in _polygons(geom):
            _sub(area, "polygon", text)
    for township in townships:
        geocode = _sub(area, "geocode")
        _sub(geocode, "valueName", "AdministrativeDivisionCode")
        _sub(geocode, "value", township.code)


def build_alert(warning: Warning) -> etree._Element:
    if not warning.identifier or warning.sent_at is None:
        raise CapRuleError("only a published version has a CAP identifier and a sending time")
    check_rules(warning)
    alert = etree.Element(f"{{{CAP12}}}alert", nsmap={None: CAP12})
    _sub(alert, "identifier", warning.identifier)
    _sub(alert, "sender", sender())
    _sub(alert, "sent", cap_time(warning.sent_at))
    _sub(alert, "status", "Actual")
    _sub(alert, "msgType", warning.msg_type)
    _sub(alert, "scope", "Public")
    if warning.previous is not None and warning.msg_type != MessageType.ALERT:
        _sub(alert, "references", references_text(warning.previous))
    _info(alert, warning, "zh-CN")
    if warning.headline_en:
        _info(alert, warning, "en-US")
    return alert


def to_xml(warning: Warning) -> bytes:
    return etree.tostring(build_alert(warning), xml_declaration=True, encoding="UTF-8", pretty_print=True)


_SCHEMA = None


def schema() -> etree.XMLSchema:
    global _SCHEMA  # noqa: PLW0603 (parsed once per process; the file does not change at run time)
    if _SCHEMA is None:
        _SCHEMA = etree.XMLSchema(etree.parse(str(settings.CAP_SCHEMA_PATH)))
    return _SCHEMA
