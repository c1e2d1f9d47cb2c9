"""Location fields of record forms and the map picker over them.

A form declares `map_picker = MapPicker(lon="lon", lat="lat", geometry="geometry", draw=(...))`
naming its own location fields; RecordForm then adds the coordinate-system choice, groups the
fields under one 位置 fieldset with the map (records/_map_picker.html, static/citysafe/map-picker.js)
and converts GCJ-02 input to WGS-84 when the form is cleaned. The numbers stay ordinary inputs:
without JavaScript the form works as before, the map is only a way to fill them."""
import json
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from kernels import coordinates

DRAW_MODES = {"point", "line", "polygon"}
COORDINATE_SYSTEM = "coordinate_system"


@dataclass(frozen=True)
class MapPicker:
    """Which form fields the picker fills: a point into `lon`/`lat`, a line or polygon (GeoJSON)
    into `geometry`. A form without `lon`/`lat` draws shapes only; one without `geometry`, points."""

    lon: str | None = "lon"
    lat: str | None = "lat"
    geometry: str | None = None
    draw: tuple[str, ...] = ("point",)

    def __post_init__(self):
        if not set(self.draw) <= DRAW_MODES:
            raise ValueError(f"unknown draw modes: {set(self.draw) - DRAW_MODES}")

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name in (self.lon, self.lat, self.geometry) if name)


class GeometryField(forms.JSONField):
    """GeoJSON typed into a text box. An empty value shows as an empty box (Django's JSONField
    would print "null" into it, which then reads as something entered)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, cls=self.encoder)


def coordinate_system_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("坐标系"), initial=coordinates.WGS84, required=False,
        choices=[(coordinates.WGS84, _("WGS-84（GPS、天地图、本平台地图）")),
                 (coordinates.GCJ02, _("GCJ-02（高德、腾讯地图复制的坐标）"))],
        help_text=_("所填经纬度和GeoJSON所用的坐标系；一律换算为WGS-84（CGCS2000）保存"))


def point_of(geometry) -> tuple[float, float] | None:
    """(lon, lat) of a stored GeoJSON Point, else None (lines and polygons stay GeoJSON)."""
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coords = geometry.get("coordinates")
        if isinstance(coords, list) and len(coords) >= 2 and all(isinstance(c, (int, float)) for c in coords[:2]):
            return coords[0], coords[1]
    return None


def clean_location(form, cleaned: dict) -> dict:
    """Lon and lat go together; GCJ-02 input becomes WGS-84 (the only system stored). Sets
    `form.coordinate_note` to say what was converted, for the page's success message."""
    picker = form.map_picker
    lon_name, lat_name = picker.lon, picker.lat
    if lon_name in form.fields and lat_name in form.fields:
        lon, lat = cleaned.get(lon_name), cleaned.get(lat_name)
        if (lon is None) != (lat is None) and not form.has_error(lon_name) and not form.has_error(lat_name):
            missing = lat_name if lat is None else lon_name
            form.add_error(missing, _("经度和纬度须同时填写"))
    if cleaned.get(COORDINATE_SYSTEM) != coordinates.GCJ02:
        return cleaned
    converted = False
    lon, lat = cleaned.get(lon_name), cleaned.get(lat_name)
    if isinstance(lon, float) and isinstance(lat, float):
        cleaned[lon_name], cleaned[lat_name] = coordinates.gcj02_to_wgs84(lon, lat)
        converted = True
    if picker.geometry and cleaned.get(picker.geometry):
        cleaned[picker.geometry] = coordinates.geometry_gcj02_to_wgs84(cleaned[picker.geometry])
        converted = True
    if converted:
        form.coordinate_note = _("坐标已由GCJ-02换算为WGS-84（CGCS2000）保存")
    return cleaned


def picker_text() -> dict:
    """What map-picker.js says, translated here (scripts get no gettext): status lines, the
    geolocation failures, and Leaflet.draw's toolbar (L.drawLocal) in the page's language."""
    return {
        "point_set": _("已设定点位"),
        "shape_set": _("已画好，可用“编辑”调整"),
        "cleared": _("已清除位置"),
        "switched_to_wgs84": _("地图坐标为WGS-84，坐标系已改为WGS-84"),
        "gcj02_typed": _("所填为GCJ-02坐标：保存时换算为WGS-84，保存后地图按换算后的位置显示"),
        "bad_geojson": _("GeoJSON无法解析，地图未更新"),
        "base_failed": _("底图加载失败，仍可填写数字"),
        "locating": _("正在定位……"),
        "located": _("已定位到您的位置（精度约%(metres)s米）"),
        "geo_unsupported": _("此浏览器不支持定位，请在地图上点选或填写经纬度"),
        "geo_insecure": _("定位需要安全连接（HTTPS）：当前页面不是安全连接，浏览器不允许定位。请在地图上点选或填写经纬度"),
        "geo_denied": _("定位被拒绝：请在浏览器或手机设置中允许本网站使用位置信息，或在地图上点选"),
        "geo_unavailable": _("无法获取位置（没有GPS或网络定位信号），请到开阔处重试或在地图上点选"),
        "geo_timeout": _("定位超时，请重试或在地图上点选"),
        "draw": {
            "polyline": _("画线"), "polygon": _("画面"), "finish": _("完成"), "undo": _("删除最后一点"),
            "cancel": _("取消"), "line_start": _("点击开始画线"), "line_cont": _("点击继续画线"),
            "line_end": _("点击最后一点结束"), "polygon_start": _("点击开始画面"),
            "polygon_cont": _("点击继续画面"), "polygon_end": _("点击第一个点闭合"),
            "intersect": _("边界不能交叉"), "edit": _("编辑"), "edit_none": _("没有可编辑的图形"),
            "remove": _("删除"), "remove_none": _("没有可删除的图形"), "save": _("保存"),
            "clear_all": _("全部清除"), "edit_tip": _("拖动节点修改图形"),
            "edit_subtip": _("点“取消”撤销修改"), "remove_tip": _("点击图形删除"),
        },
    }
