"""Underground lines and utility tunnels as record kinds (core.kinds): /api/v1/underground-lines,
/api/v1/utility-tunnels, pages /siting/underground-lines/…, Excel import/export through /io/
(the workbook kinds below), GeoJSON / zipped Shapefile import with column mapping (line_import.py,
which feeds features to the same workbook kinds)."""
import json
from typing import Optional

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema

from citysafe.core import scope
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.location import GeometryField, MapPicker
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import Count, GeoJSON, Id, NotOnCreate, Text, Version, choice_in, choice_out
from citysafe.registry.io.kinds.base import Column as Cell
from citysafe.registry.io.kinds.base import Kind, ParsedRow, _ref, text
from citysafe.registry.models import Area, Enterprise
from citysafe.siting.models import LineKind, LineStatus, PressureClass, UndergroundLine, UtilityTunnel
from citysafe.siting.services import underground
from kernels.coordinates import geometry_gcj02_to_wgs84

Number = Optional[float]


class _CommonOut(Schema):
    id: int
    version: int
    code: str
    name: str
    owner_enterprise_id: Optional[int]
    owner_enterprise_name: str
    year_laid: Optional[int]
    status: choice_out(LineStatus.choices)
    data_source: str
    depth_m: Optional[float]
    geometry: GeoJSON
    length_m: float
    township_id: int
    township_name: str
    grid_id: Optional[int]


class UndergroundLineOut(_CommonOut):
    line_kind: choice_out(LineKind.choices)
    material: str
    diameter_mm: Optional[int]
    pressure_class: str


class UtilityTunnelOut(_CommonOut):
    compartments: str


class _CommonUpdate(Schema):
    version: Version
    code: Optional[Text] = None
    name: Optional[Text] = None
    owner_enterprise_id: Optional[Id] = None
    year_laid: Optional[Count] = None
    status: Optional[choice_in(LineStatus.choices)] = None
    data_source: Optional[Text] = None
    depth_m: Number = None
    geometry: Optional[GeoJSON] = None
    township_id: Optional[Id] = None
    grid_id: Optional[Id] = None


class _LineUpdate(_CommonUpdate):
    line_kind: Optional[choice_in(LineKind.choices)] = None
    material: Optional[Text] = None
    diameter_mm: Optional[Count] = None
    pressure_class: Optional[choice_in(PressureClass.choices)] = None


class _TunnelUpdate(_CommonUpdate):
    compartments: Optional[Text] = None


UndergroundLineUpdate = patch_schema(_LineUpdate, UndergroundLine)
UtilityTunnelUpdate = patch_schema(_TunnelUpdate, UtilityTunnel)


class UndergroundLineCreate(UndergroundLineUpdate):
    version: NotOnCreate = None
    code: Text
    line_kind: choice_in(LineKind.choices)
    geometry: GeoJSON


class UtilityTunnelCreate(UtilityTunnelUpdate):
    version: NotOnCreate = None
    code: Text
    name: Text
    geometry: GeoJSON


def _common_form_fields() -> dict:
    return {
        "code": forms.CharField(label=gettext_lazy("编号"), max_length=40),
        "name": forms.CharField(label=gettext_lazy("名称"), max_length=200, required=False),
        "owner_enterprise_id": forms.ModelChoiceField(label=gettext_lazy("权属/运营单位"), required=False,
                                                      queryset=Enterprise.objects.all()),
        "year_laid": forms.IntegerField(label=gettext_lazy("建设年份"), min_value=1900, max_value=2100, required=False),
        "status": forms.ChoiceField(label=gettext_lazy("使用状态"), choices=LineStatus.choices),
        "depth_m": forms.FloatField(label=gettext_lazy("埋深（米）"), min_value=0, max_value=100, required=False),
        "data_source": forms.CharField(label=gettext_lazy("数据来源"), max_length=200, required=False),
        "geometry": GeometryField(label=gettext_lazy("走向（GeoJSON线）"), required=False),
        "township_id": forms.ModelChoiceField(label=gettext_lazy("所属乡镇"), required=False,
                                              queryset=Area.objects.filter(level="township")),
        "grid_id": forms.ModelChoiceField(label=gettext_lazy("所属网格"), required=False,
                                          queryset=Area.objects.filter(level="grid")),
    }


class _UndergroundForm(RecordForm):
    map_picker = MapPicker(lon=None, lat=None, geometry="geometry", draw=("line",))
    FOLLOWS = {"grid_id": {"township_id": "township"}}
    PICKERS = frozenset({"owner_enterprise_id"})

    def to_service_data(self, creating: bool = False) -> dict:
        data = super().to_service_data(creating)
        if not data.get("geometry"):
            data.pop("geometry", None)
        return data


UndergroundLineForm = type("UndergroundLineForm", (_UndergroundForm,), {
    "model": UndergroundLine, **_common_form_fields(),
    "line_kind": forms.ChoiceField(label=gettext_lazy("管线类别"), choices=LineKind.choices),
    "material": forms.CharField(label=gettext_lazy("材质"), max_length=50, required=False),
    "diameter_mm": forms.IntegerField(label=gettext_lazy("管径（毫米）"), min_value=1, max_value=5000, required=False),
    "pressure_class": forms.ChoiceField(label=gettext_lazy("压力级制（燃气）"), required=False,
                                        choices=[("", "---------"), *PressureClass.choices]),
})
UtilityTunnelForm = type("UtilityTunnelForm", (_UndergroundForm,), {
    "model": UtilityTunnel, **_common_form_fields(),
    "compartments": forms.CharField(label=gettext_lazy("舱室及入廊管线"), max_length=300, required=False),
})


# ---- workbook kinds (Excel through /io/; GeoJSON / Shapefile through line_import) ----------

GEOMETRY_HEADER = "走向（GeoJSON）"


class _UndergroundWorkbook(Kind):
    key_headers = ("编号",)
    common = [
        Cell("编号", "code", "必填，唯一；再次导入同一编号即更新", required=True, text=True),
        Cell("名称", "name", "不超过200字", width=24),
        Cell("权属/运营单位", "owner_enterprise_id", "可空；统一社会信用代码或已登记企业的全称", text=True, width=24),
        Cell("建设年份", "year_laid", "1900～2100的整数"),
        Cell("使用状态", "status", "在用/废弃，空白为在用", choices=tuple(str(label) for _, label in LineStatus.choices)),
        Cell("埋深（米）", "depth_m", "0～100的数字"),
        Cell("数据来源", "data_source", "如：2023年管线普查、权属单位报送、竣工测量", width=24),
        Cell(GEOMETRY_HEADER, "geometry", "必填：GeoJSON LineString/MultiLineString（WGS84经纬度）", required=True,
             width=40),
        Cell("所属乡镇代码", "township_id", "可空：空白时按线路中点自动落位", table="township", text=True),
        Cell("所属网格代码", "grid_id", "可空：空白时按线路中点自动落位", table="grid", text=True),
    ]

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        self._text(row, cells, *[c.key for c in self.columns if c.key in self.TEXT_KEYS])
        self._number(row, cells, "depth_m")
        self._number(row, cells, *[c.key for c in self.columns if c.key in self.INTEGER_KEYS], integer=True)
        self._choice(row, cells, "status", LineStatus, book)
        self._owner(row, cells, book)
        self._code(row, cells, "township_id", lambda c: book.area_id(c, Area.Level.TOWNSHIP), "township_id",
                   _("乡镇代码"))
        self._code(row, cells, "grid_id", lambda c: book.area_id(c, Area.Level.GRID), "grid_id", _("网格代码"))
        self._parse_own(row, cells, book)
        geometry = self._geometry(row, cells)
        if geometry is not None:
            row.data["geometry"] = geometry_gcj02_to_wgs84(geometry) if gcj02 else geometry
        row.key = row.data.get("code") or None
        return row

    TEXT_KEYS = {"code", "name", "data_source", "material", "compartments"}
    INTEGER_KEYS = {"year_laid", "diameter_mm"}

    def _parse_own(self, row, cells, book):
        pass

    def _owner(self, row, cells, book):
        value = text(cells.get(self.header("owner_enterprise_id")))
        if not value:
            return
        found = book.enterprise_id.get(value.upper()) or self._names(book).get(value)
        if found is None:
            row.fail(self.header("owner_enterprise_id"),
                     _("企业“%(v)s”不存在或不在您的数据范围内（填写统一社会信用代码或企业全称）") % {"v": value[:60]})
        else:
            row.data["owner_enterprise_id"] = found

    @staticmethod
    def _names(book) -> dict:
        # Names are not unique: a name shared by two enterprises is left out (the USCC decides).
        if "enterprise_by_name" not in book.__dict__:
            names: dict = {}
            for pk, name in book._visible(Enterprise).values_list("id", "name"):
                names[name] = None if name in names else pk
            book.__dict__["enterprise_by_name"] = {k: v for k, v in names.items() if v is not None}
        return book.__dict__["enterprise_by_name"]

    def _geometry(self, row, cells):
        raw = cells.get(GEOMETRY_HEADER)
        if isinstance(raw, dict):  # a feature's geometry (GeoJSON / Shapefile import)
            return raw
        raw = text(raw)
        if not raw:
            row.fail(GEOMETRY_HEADER, _("此字段为必填项"))
            return None
        try:
            return json.loads(raw)
        except ValueError:
            row.fail(GEOMETRY_HEADER, _("几何对象不是有效的GeoJSON"))
            return None

    def existing(self, key, book):
        return self.model.objects.filter(code=key).values_list("pk", flat=True).first()

    def remember(self, key, instance, book):
        pass

    def export_row(self, r, book):
        values = {"owner_enterprise_id": _ref(book.enterprise_uscc, r["owner_enterprise_id"]),
                  "status": book.label(LineStatus, r["status"]),
                  "geometry": json.dumps(r["geometry"], ensure_ascii=False, separators=(",", ":")),
                  "township_id": _ref(book.area_code, r["township_id"]), "grid_id": _ref(book.area_code, r["grid_id"]),
                  "line_kind": book.label(LineKind, r.get("line_kind")),
                  "pressure_class": book.label(PressureClass, r.get("pressure_class")) if r.get("pressure_class") else ""}
        return [values.get(key, r.get(key)) for key in self.export_fields]

    def export_geometry(self, r):
        return r["geometry"]


class UndergroundLineWorkbook(_UndergroundWorkbook):
    name = resource = "underground-lines"
    label, title, model = "地下管线", gettext_lazy("地下管线"), UndergroundLine
    columns = [*_UndergroundWorkbook.common[:2],
               Cell("管线类别", "line_kind", "必填", required=True, choices=tuple(str(v) for _, v in LineKind.choices)),
               Cell("材质", "material", "如：PE、钢、球墨铸铁"), Cell("管径（毫米）", "diameter_mm", "1～5000的整数"),
               Cell("压力级制（燃气）", "pressure_class", "仅燃气管线填写",
                    choices=tuple(str(v) for _, v in PressureClass.choices)),
               *_UndergroundWorkbook.common[2:]]
    export_fields = tuple(c.key for c in columns)

    def _parse_own(self, row, cells, book):
        self._choice(row, cells, "line_kind", LineKind, book)
        header = self.header("pressure_class")
        value = text(cells.get(header))
        # Survey tables write the class without its range: "中压A" for "中压A（0.2～0.4 MPa）".
        short = {str(label).split("（")[0]: key for key, label in PressureClass.choices}
        if value in short:
            row.data["pressure_class"] = short[value]
        else:
            self._choice(row, cells, "pressure_class", PressureClass, book)
        if row.data.get("diameter_mm") == 0:
            # dBase numeric fields have no null: GIS exports write 0 for an unknown diameter.
            del row.data["diameter_mm"]


class UtilityTunnelWorkbook(_UndergroundWorkbook):
    name = resource = "utility-tunnels"
    label, title, model = "综合管廊", gettext_lazy("综合管廊"), UtilityTunnel
    columns = [*_UndergroundWorkbook.common[:2],
               Cell("舱室及入廊管线", "compartments", "如：电力舱（10 kV电缆）、综合舱（给水DN300、通信）", width=30),
               *_UndergroundWorkbook.common[2:]]
    export_fields = tuple(c.key for c in columns)


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level="township")).order_by("code")]


def _common_columns():
    return [Column(gettext_lazy("所属乡镇"), lambda o: o.township, "township"),
            Column(gettext_lazy("权属/运营单位"), lambda o: o.owner_enterprise or "", ""),
            Column(gettext_lazy("长度（米）"), lambda o: f"{o.length_m:,.0f}", "length_m")]


LINES = RecordKind(
    key="underground-lines", singular="UndergroundLine", model=UndergroundLine, title=gettext_lazy("地下管线"),
    namespace="siting", export_url="io:export", search=("code", "name", "material", "data_source"),
    filters=("line_kind", "status", "township_id", "owner_enterprise_id"), ordering=("id", "code", "line_kind", "length_m"),
    related=("township", "owner_enterprise"), item=UndergroundLineOut, create_in=UndergroundLineCreate,
    update_in=UndergroundLineUpdate, create=underground.create_line, update=underground.update_line,
    form=UndergroundLineForm,
    columns=[Column(gettext_lazy("编号"), lambda o: o.code, "code"), Column(gettext_lazy("名称"), lambda o: o.name, ""),
             Column(gettext_lazy("管线类别"), lambda o: o.get_line_kind_display(), "line_kind"),
             Column(gettext_lazy("管径（毫米）"), lambda o: o.diameter_mm or "", ""),
             Column(gettext_lazy("埋深（米）"), lambda o: "" if o.depth_m is None else f"{o.depth_m:g}", ""),
             *_common_columns()],
    page_filters=[Filter("line_kind", gettext_lazy("管线类别"), fixed(LineKind.choices)),
                  Filter("status", gettext_lazy("使用状态"), fixed(LineStatus.choices)),
                  Filter("township_id", gettext_lazy("乡镇"), _townships)],
    io=UndergroundLineWorkbook(),
)

TUNNELS = RecordKind(
    key="utility-tunnels", singular="UtilityTunnel", model=UtilityTunnel, title=gettext_lazy("综合管廊"),
    namespace="siting", export_url="io:export", search=("code", "name", "compartments"),
    filters=("status", "township_id", "owner_enterprise_id"), ordering=("id", "code", "length_m"),
    related=("township", "owner_enterprise"), item=UtilityTunnelOut, create_in=UtilityTunnelCreate,
    update_in=UtilityTunnelUpdate, create=underground.create_tunnel, update=underground.update_tunnel,
    form=UtilityTunnelForm,
    columns=[Column(gettext_lazy("编号"), lambda o: o.code, "code"), Column(gettext_lazy("名称"), lambda o: o.name, ""),
             Column(gettext_lazy("舱室及入廊管线"), lambda o: o.compartments, ""), *_common_columns()],
    page_filters=[Filter("status", gettext_lazy("使用状态"), fixed(LineStatus.choices)),
                  Filter("township_id", gettext_lazy("乡镇"), _townships)],
    io=UtilityTunnelWorkbook(),
)
