"""Enterprises (C6): natural key is the USCC."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core.validation import check_uscc
from citysafe.registry.io.kinds.base import Column, Kind, ParsedRow, _ref
from citysafe.registry.models import Area, Enterprise
from kernels.coordinates import gcj02_to_wgs84


class EnterpriseKind(Kind):
    name, label, model, resource = "enterprises", "企业", Enterprise, "enterprises"
    title = gettext_lazy("企业")
    key_headers = ("统一社会信用代码",)
    columns = [
        Column("统一社会信用代码", "uscc", "18位，GB 32100 校验；同一代码再次导入即更新该企业", required=True, text=True, width=22),
        Column("企业名称", "name", "必填，不超过200字", required=True, width=30),
        Column("行业代码", "industry_id", "必填，填写“代码表”中的行业名称（或行业代码）", required=True, table="industry", text=True),
        Column("规模", "scale", "大型/中型/小型/微型，空白为小型", choices=tuple(str(label) for _, label in Enterprise.Scale.choices)),
        Column("地址", "address", "不超过255字", width=30),
        Column("经度", "lon", "必填，十进制度（WGS84；声明为GCJ-02时自动转换）", required=True),
        Column("纬度", "lat", "必填，十进制度（WGS84；声明为GCJ-02时自动转换）", required=True),
        Column("所属乡镇代码", "township_id", "可空：空白时按坐标自动落位；须为乡镇级区划代码", table="township", text=True),
        Column("所属网格代码", "grid_id", "可空：空白时按坐标自动落位；坐标须位于该网格内", table="grid", text=True, width=18),
        Column("行业主管部门编码", "supervising_department_id", "可空：空白时按行业对应的主管部门", table="organisation", text=True),
        Column("法定代表人", "legal_representative", "不超过50字"),
        Column("安全管理负责人", "safety_officer_id", "可空；填写“姓名/身份证号码”或“姓名/电话”，须为已导入的本企业人员（先导入企业、再导入人员、再次导入企业时填写）；空白时不改变原有负责人", width=30),
        Column("安全生产标准化等级", "standardisation_grade", "一级/二级/三级/未达标，空白为未达标",
               choices=tuple(str(label) for _, label in Enterprise.StandardisationGrade.choices)),
        Column("经营状态", "operating_status", "仅导出；导入时忽略（经营状态通过搬迁/关闭流程变更）", importable=False),
    ]
    export_fields = ("uscc", "name", "industry_id", "scale", "address", "lon", "lat", "township_id", "grid_id",
                     "supervising_department_id", "legal_representative", "safety_officer_id", "standardisation_grade",
                     "operating_status")

    def error_headers(self, service_field, row):
        if service_field == "location":
            return [self.header("lon"), self.header("lat")]
        return super().error_headers(service_field, row)

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        uscc = self._identifier(row, cells, "uscc").upper()
        row.key = uscc or None
        row.data["uscc"] = uscc
        # Checked here too: the service skips its field checks while a required field (an
        # unknown industry code, say) is missing, and the report should still name this cell.
        self._check(row, "统一社会信用代码", check_uscc, uscc)
        self._text(row, cells, "name", "address", "legal_representative")
        self._code(row, cells, "industry_id", book.industry, "industry_id", _("行业"))
        self._choice(row, cells, "scale", Enterprise.Scale, book)
        self._choice(row, cells, "standardisation_grade", Enterprise.StandardisationGrade, book)
        self._number(row, cells, "lon", "lat")
        if gcj02 and isinstance(row.data.get("lon"), float) and isinstance(row.data.get("lat"), float):
            row.data["lon"], row.data["lat"] = gcj02_to_wgs84(row.data["lon"], row.data["lat"])
        self._code(row, cells, "township_id", lambda c: book.area_id(c, Area.Level.TOWNSHIP), "township_id", _("乡镇代码"))
        self._code(row, cells, "grid_id", lambda c: book.area_id(c, Area.Level.GRID), "grid_id", _("网格代码"))
        self._code(row, cells, "supervising_department_id", book.organisation_id.get, "supervising_department_id",
                   _("组织编码"))
        self._person(row, cells, "safety_officer_id", book)
        for key in ("name", "industry_id", "lon", "lat"):  # required: the service asks for these on create
            row.data.setdefault(key, "")
        return row

    def existing(self, key, book):
        return book.enterprise_id.get(key)

    def remember(self, key, instance, book):
        book.enterprise_id[instance.uscc] = instance.pk

    def export_row(self, r, book):
        return [r["uscc"], r["name"], _ref(book.industry_name, r["industry_id"]),
                book.label(Enterprise.Scale, r["scale"]), r["address"], r["lon"], r["lat"],
                _ref(book.area_code, r["township_id"]), _ref(book.area_code, r["grid_id"]),
                _ref(book.organisation_code, r["supervising_department_id"]), r["legal_representative"],
                book.person_text(r["safety_officer_id"]),
                book.label(Enterprise.StandardisationGrade, r["standardisation_grade"]),
                book.label(Enterprise.OperatingStatus, r["operating_status"])]

    def export_geometry(self, r):
        return {"type": "Point", "coordinates": [r["lon"], r["lat"]]}
