"""Places and facilities (C4): natural key is an explicit 编号, else name + township + type."""
import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.registry.io.kinds.base import Column, Kind, ParsedRow, _ref, text
from citysafe.registry.models import Area, Place, PlaceType
from kernels.coordinates import geometry_gcj02_to_wgs84


class PlaceKind(Kind):
    name, label, model, resource = "places", "场所设施", Place, "places"
    title = gettext_lazy("场所设施")
    key_headers = ("编号", "名称", "类型", "所属乡镇代码")
    columns = [
        Column("编号", "pk", "可空：填写平台中已有场所的编号即更新该场所；空白时按“名称+所属乡镇+类型”识别同一场所",
               exportable=False),
        Column("名称", "name", "必填，不超过200字", required=True, width=24),
        Column("类型", "place_type", "必填，从下拉列表选择", required=True, choices=tuple(str(label) for _, label in PlaceType.choices)),
        Column("经度", "lon", "点状场所填写经纬度（WGS84；声明为GCJ-02时自动转换）；填写了几何时仅供参考"),
        Column("纬度", "lat", "同上"),
        Column("几何（GeoJSON）", "geometry", "线状、面状设施填写GeoJSON几何对象（如道路、管道、厂区），优先于经纬度", width=30),
        Column("地址", "address", "不超过255字", width=24),
        Column("设计容量（人）", "capacity", "非负整数"),
        Column("常驻/在场人数", "people_present", "非负整数"),
        Column("产权/使用单位统一社会信用代码", "owner_enterprise_id", "可空；须为已登记企业", text=True, width=22),
        Column("行业代码", "industry_id", "可空：空白时取产权单位的行业；填写行业名称或行业代码", table="industry", text=True),
        Column("所属乡镇代码", "township_id", "可空：空白时按位置自动落位", table="township", text=True),
        Column("所属网格代码", "grid_id", "可空：空白时按位置自动落位；位置须在网格内", table="grid", text=True, width=18),
        Column("行业主管部门编码", "supervising_department_id", "可空：空白时按行业对应的主管部门", table="organisation", text=True),
        Column("责任人", "responsible_person_ids", "可空；每人写作“姓名/身份证号码”或“姓名/电话”，多人用“；”分隔，须为已导入的人员（先导入人员再导入场所）；空白时不改变原有责任人", width=40),
    ]
    export_fields = ("name", "place_type", "lon", "lat", "geometry", "address", "capacity", "people_present",
                     "owner_enterprise_id", "industry_id", "township_id", "grid_id", "supervising_department_id")

    def error_headers(self, service_field, row):
        if service_field == "geometry" and not row.data.get("_geometry_from_cell"):
            return [self.header("lon"), self.header("lat")]
        return super().error_headers(service_field, row)

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        self._text(row, cells, "name", "address")
        self._choice(row, cells, "place_type", PlaceType, book)
        self._number(row, cells, "capacity", "people_present", integer=True)
        self._code(row, cells, "owner_enterprise_id", lambda c: book.enterprise_id.get(c.upper()),
                   "owner_enterprise_id", _("统一社会信用代码"))
        self._code(row, cells, "industry_id", book.industry, "industry_id", _("行业"))
        self._code(row, cells, "township_id", lambda c: book.area_id(c, Area.Level.TOWNSHIP), "township_id", _("乡镇代码"))
        self._code(row, cells, "grid_id", lambda c: book.area_id(c, Area.Level.GRID), "grid_id", _("网格代码"))
        self._code(row, cells, "supervising_department_id", book.organisation_id.get, "supervising_department_id",
                   _("组织编码"))
        self._persons(row, cells, "responsible_person_ids", book)
        geometry = self._geometry(row, cells)
        if geometry is not None:
            row.data["geometry"] = geometry_gcj02_to_wgs84(geometry) if gcj02 else geometry
        for key in ("name", "place_type"):
            row.data.setdefault(key, "")
        row.data.setdefault("geometry", None)
        explicit = text(cells.get("编号"))
        if explicit:
            if not explicit.isdigit() or int(explicit) not in book.place_ids:
                row.fail("编号", _("编号“%(code)s”的场所不存在") % {"code": explicit})
            row.key = ("pk", int(explicit) if explicit.isdigit() else explicit)
        else:
            row.key = ("name", row.data["name"], self._township_for_key(row, book), row.data["place_type"])
        return row

    def _geometry(self, row, cells):
        raw = text(cells.get("几何（GeoJSON）"))
        if raw:
            row.data["_geometry_from_cell"] = True
            try:
                return json.loads(raw)
            except ValueError:
                row.fail("几何（GeoJSON）", _("几何对象不是有效的GeoJSON"))
                return None
        lon, lat = cells.get("经度"), cells.get("纬度")
        if lon in (None, "") and lat in (None, ""):
            row.fail("经度", _("请填写经纬度或几何（GeoJSON）"))
            return None
        try:
            return {"type": "Point", "coordinates": [float(lon), float(lat)]}
        except (TypeError, ValueError):
            row.fail("经度", _("经纬度必须是数字"))
            return None

    def _township_for_key(self, row, book):
        if "township_id" in row.data:
            return row.data["township_id"]
        if "grid_id" in row.data:
            return book.area_township.get(row.data["grid_id"])
        return None

    def existing(self, key, book):
        if key[0] == "pk":
            return key[1] if key[1] in book.place_ids else None
        return book.place_by_key.get(key[1:])

    def save(self, actor, pk, data):
        # "_"-prefixed keys are parse-time helpers, not service fields.
        return super().save(actor, pk, {k: v for k, v in data.items() if not k.startswith("_")})

    def remember(self, key, instance, book):
        book.place_by_key[(instance.name, instance.township_id, instance.place_type)] = instance.pk
        book.place_ids.add(instance.pk)

    def export_row(self, r, book):
        # Whatever is stored (even a geometry that is not an object) is written, never raised on.
        point = isinstance(r["geometry"], dict) and r["geometry"].get("type") == "Point"
        return [r["name"], book.label(PlaceType, r["place_type"]), r["lon"], r["lat"],
                "" if point else json.dumps(r["geometry"], ensure_ascii=False, separators=(",", ":")),
                r["address"], r["capacity"], r["people_present"], _ref(book.enterprise_uscc, r["owner_enterprise_id"]),
                _ref(book.industry_name, r["industry_id"]), _ref(book.area_code, r["township_id"]),
                _ref(book.area_code, r["grid_id"]), _ref(book.organisation_code, r["supervising_department_id"]),
                self._responsible_text(r["id"], book)]

    def _responsible_text(self, pk, book) -> str:
        # Sorted so that the same set of persons always reads the same (the round trip compares ledgers).
        names = sorted(filter(None, (book.person_text(p) for p in book.place_persons.get(pk, ()))))
        return "；".join(names)

    def export_geometry(self, r):
        return r["geometry"]
