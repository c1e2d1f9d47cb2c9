"""The project ledger (Excel import/export, registry.io): enterprises by USCC and the site by its
place number, as the county's other ledgers name them. Hand-made rather than the kind kit's
generated workbook: that one keys references by `code`, which enterprises and places lack."""
from datetime import date, datetime

from django.utils.translation import gettext as _

from citysafe.construction.models import ConstructionProject
from citysafe.construction.rules import mask_phone
from citysafe.registry.io.kinds.base import Column, Kind, ParsedRow, text

ENTERPRISES = (("builder_id", "建设单位统一社会信用代码", True), ("contractor_id", "施工单位统一社会信用代码", True),
               ("supervisor_id", "监理单位统一社会信用代码", False))
PHONES = ("project_manager_phone", "safety_officer_phone")


class ProjectWorkbook(Kind):
    name = resource = "construction-projects"
    label, model = "建设工程项目", ConstructionProject
    key_headers = ("项目编号",)
    columns = [
        Column("项目编号", "code", "必填，唯一", required=True, text=True),
        Column("项目名称", "name", "必填", required=True, width=30),
        Column("施工许可证号", "permit_number", "", text=True),
        *[Column(header, key, "必填" if required else "", required=required, text=True, width=22)
          for key, header, required in ENTERPRISES],
        Column("施工现场场所编号", "site_id", "必填：类型为建筑施工工地的场所编号", required=True, text=True),
        Column("开工日期", "start_on", "YYYY-MM-DD"),
        Column("计划竣工日期", "planned_end_on", "YYYY-MM-DD"),
        Column("项目状态", "status", "", choices=tuple(label for _v, label in ConstructionProject.Status.choices)),
        Column("项目经理", "project_manager", ""),
        Column("项目经理电话", "project_manager_phone", "导出时隐去中间数字；隐去的号码导入时不覆盖原号码", text=True),
        Column("专职安全员", "safety_officer", ""),
        Column("专职安全员电话", "safety_officer_phone", "导出时隐去中间数字；隐去的号码导入时不覆盖原号码", text=True),
        Column("所属乡镇代码", "township_id", "由施工现场确定（导入时忽略）", importable=False, text=True),
    ]
    export_fields = ("code", "name", "permit_number", "builder_id", "contractor_id", "supervisor_id", "site_id",
                     "start_on", "planned_end_on", "status", "project_manager", "project_manager_phone",
                     "safety_officer", "safety_officer_phone", "township_id")

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        self._text(row, cells, "code", "name", "permit_number", "project_manager", "safety_officer")
        for key, _header, _required in ENTERPRISES:
            self._code(row, cells, key, lambda c: book.enterprise_id.get(c), key, _("统一社会信用代码"))
        self._code(row, cells, "site_id", lambda c: int(c) if c.isdigit() and int(c) in book.place_ids else None,
                   "site_id", _("场所编号"))
        for key in PHONES:
            value = self._identifier(row, cells, key) if self.header(key) in cells else ""
            if value and "*" not in value:  # a masked number from an export keeps the stored one
                row.data[key] = value
        for key in ("start_on", "planned_end_on"):
            self._date(row, cells, key)
        self._choice(row, cells, "status", ConstructionProject.Status, book)
        row.key = row.data.get("code") or None
        return row

    def _date(self, row, cells, key):
        value = cells.get(self.header(key))
        if value in (None, ""):
            return
        if isinstance(value, datetime):
            row.data[key] = value.date()
            return
        try:
            row.data[key] = date.fromisoformat(text(value))
        except ValueError:
            row.fail(self.header(key), _("日期格式应为YYYY-MM-DD"))

    def existing(self, key, book):
        return ConstructionProject.objects.filter(code=key).values_list("pk", flat=True).first()

    def remember(self, key, instance, book):
        pass

    def export_row(self, r, book):
        return [r["code"], r["name"], r["permit_number"],
                *[book.enterprise_uscc.get(r[key], "") if r[key] else "" for key, _h, _r in ENTERPRISES],
                str(r["site_id"]), r["start_on"], r["planned_end_on"], book.label(ConstructionProject.Status, r["status"]),
                r["project_manager"], mask_phone(r["project_manager_phone"] or ""), r["safety_officer"],
                mask_phone(r["safety_officer_phone"] or ""), book.area_code.get(r["township_id"], "")]
