"""Directories: organisations (C2, 管行业必须管安全), industries, and areas (ledger only; areas
are imported from GeoJSON / Shapefile)."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.accounts.models import Organisation
from citysafe.registry.io.kinds.base import Column, Kind, ParsedRow, _ref, codes_list
from citysafe.registry.models import Area, Industry


class OrganisationKind(Kind):
    name, label, model, resource = "organisations", "组织机构", Organisation, "organisations"
    title = gettext_lazy("组织机构")
    key_headers = ("编码",)
    columns = [
        Column("编码", "code", "必填，唯一；再次导入同一编码即更新", required=True, text=True),
        Column("名称", "name", "必填，不超过100字", required=True, width=28),
        Column("类型", "kind", "县安委办/县直部门/乡镇", required=True,
               choices=tuple(str(label) for _, label in Organisation.Kind.choices)),
        Column("所辖区域代码", "area_id", "乡镇填写本乡镇区划代码；县直部门填写县区划代码", table="area", text=True),
        Column("联系电话", "phone", "不超过20字", text=True),
        Column("第一责任人", "first_responsible_id", "主要负责人（党政同责）。可空；填写“姓名/身份证号码”或“姓名/电话”，须为已导入的人员（首次导入组织机构时留空，导入人员后再次导入组织机构时填写）；空白时不改变", width=26),
        Column("直接责任人", "direct_responsible_id", "分管负责人（一岗双责）。可空；填写“姓名/身份证号码”或“姓名/电话”，须为已导入的人员（首次导入组织机构时留空，导入人员后再次导入组织机构时填写）；空白时不改变", width=26),
        Column("监管行业代码", "industry_ids", "仅县直部门：所监管行业的代码，多个用逗号或顿号分隔（管行业必须管安全）", width=30),
    ]
    export_fields = ("id", "code", "name", "kind", "area_id", "phone", "first_responsible_id", "direct_responsible_id")

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        self._text(row, cells, "code", "name", "phone")
        row.key = row.data.get("code") or None
        self._choice(row, cells, "kind", Organisation.Kind, book)
        row.data.setdefault("kind", "")
        self._code(row, cells, "area_id", lambda c: book.area_id(c), "area_id", _("区划代码"))
        self._person(row, cells, "first_responsible_id", book)
        self._person(row, cells, "direct_responsible_id", book)
        if "监管行业代码" in cells:
            ids, missing = [], []
            for code in codes_list(cells.get("监管行业代码")):
                (ids.append(book.industry_id[code]) if code in book.industry_id else missing.append(code))
            if missing:
                row.fail("监管行业代码", _("行业代码不存在：%(codes)s") % {"codes": "、".join(missing)})
            row.data["industry_ids"] = ids
        return row

    def existing(self, key, book):
        return book.organisation_id.get(key)

    def remember(self, key, instance, book):
        book.organisation_id[instance.code] = instance.pk
        book.organisation_code[instance.pk] = instance.code

    def export_row(self, r, book):
        industries = book.organisation_industries.get(r["id"], [])
        return [r["code"], r["name"], book.label(Organisation.Kind, r["kind"]),
                _ref(book.area_code, r["area_id"]), r["phone"], book.person_text(r["first_responsible_id"]),
                book.person_text(r["direct_responsible_id"]), "、".join(industries)]


class IndustryKind(Kind):
    name, label, model, resource = "industries", "行业", Industry, "industries"
    # The kind (the list of industries), not one industry ("行业", English "Industry").
    title = gettext_lazy("行业目录")
    key_headers = ("行业代码",)
    columns = [
        Column("行业代码", "code", "必填，唯一；再次导入同一代码即更新", required=True, text=True),
        Column("行业名称", "name", "必填，不超过100字", required=True, width=24),
        Column("说明", "description", "可空", width=40),
    ]
    export_fields = ("code", "name", "description")

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        self._text(row, cells, "code", "name", "description")
        row.key = row.data.get("code") or None
        return row

    def existing(self, key, book):
        return book.industry_id.get(key)

    def remember(self, key, instance, book):
        book.industry_id[instance.code] = instance.pk
        book.industry_code[instance.pk] = instance.code

    def export_row(self, r, book):
        return [r["code"], r["name"], r["description"]]


class AreaKind(Kind):
    """Areas come in as GeoJSON / Shapefile (geojson_import); the ledger lists them without outlines."""

    name, label, model, resource = "areas", "行政区域", Area, "areas"
    title = gettext_lazy("行政区域")
    workbook_import = False  # areas come from GeoJSON / Shapefile (io.geojson_import)
    key_headers = ("区划代码",)
    columns = [
        Column("区划代码", "code", "必填，唯一", required=True, text=True, width=18),
        Column("名称", "name", "必填", required=True, width=24),
        Column("层级", "level", "县/乡镇/村（社区）/网格", required=True, choices=tuple(str(label) for _, label in Area.Level.choices)),
        Column("上级区划代码", "parent_id", "县级为空", table="area", text=True, width=18),
        Column("常住人口", "population", "非负整数"),
    ]
    export_fields = ("code", "name", "level", "parent_id", "population", "geometry")

    def export_row(self, r, book):
        return [r["code"], r["name"], book.label(Area.Level, r["level"]),
                _ref(book.area_code, r["parent_id"]), r["population"]]

    def export_geometry(self, r):
        return r["geometry"]
