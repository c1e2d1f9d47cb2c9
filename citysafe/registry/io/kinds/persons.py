"""Real-name responsible persons (C2): natural key is the ID number, else name + phone."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core import masking
from citysafe.core.validation import check_id_number, check_phone
from citysafe.registry.io.kinds.base import Column, Kind, ParsedRow, _ref
from citysafe.registry.models import Area, Person


class PersonKind(Kind):
    name, label, model, resource = "persons", "人员", Person, "persons"
    title = gettext_lazy("人员")
    key_headers = ("身份证号码", "姓名", "电话")
    columns = [
        Column("姓名", "name", "必填，不超过50字", required=True),
        Column("电话", "phone", "必填：手机号11位，或区号加固定电话", required=True, text=True),
        Column("身份证号码", "id_number", "可空；18位，末位校验（ISO 7064）。有身份证号时按其识别同一人，否则按姓名+电话",
               text=True, width=22),
        Column("职务", "title", "不超过100字"),
        Column("所在单位编码", "organisation_id", "政府部门或乡镇的组织编码，见代码表", table="organisation", text=True),
        Column("所在企业统一社会信用代码", "enterprise_id", "企业人员填写所在企业的统一社会信用代码", text=True, width=22),
        Column("所属乡镇代码", "township_id", "可空；乡镇级区划代码", table="township", text=True),
        Column("所属网格代码", "grid_id", "可空；网格区划代码", table="grid", text=True, width=18),
    ]
    export_fields = ("name", "phone", "id_number", "title", "organisation_id", "enterprise_id", "township_id", "grid_id")

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        self._text(row, cells, "name", "phone", "id_number", "title")
        row.data["id_number"] = row.data.get("id_number", "").upper()
        self._check(row, "电话", check_phone, row.data.get("phone", ""))
        if masking.is_masked_id_number(row.data["id_number"]):
            self._masked_id_number(row, book)
        elif row.data["id_number"]:
            self._check(row, "身份证号码", check_id_number, row.data["id_number"])
            row.key = ("id", row.data["id_number"])
        elif row.data.get("name") and row.data.get("phone"):
            row.key = ("name_phone", row.data["name"], row.data["phone"])
        self._code(row, cells, "organisation_id", book.organisation_id.get, "organisation_id", _("组织编码"))
        self._code(row, cells, "enterprise_id", lambda c: book.enterprise_id.get(c.upper()), "enterprise_id",
                   _("统一社会信用代码"))
        self._code(row, cells, "township_id", lambda c: book.area_id(c, Area.Level.TOWNSHIP), "township_id", _("乡镇代码"))
        self._code(row, cells, "grid_id", lambda c: book.area_id(c, Area.Level.GRID), "grid_id", _("网格代码"))
        return row

    def _masked_id_number(self, row, book):
        """A ledger exported for a role that sees masked ID numbers (core.masking), imported
        again: the row names the registered person with this name and phone whose number
        masks the same way, and leaves that number as it is. It cannot create a person."""
        masked = row.data.pop("id_number")
        name, phone = row.data.get("name", ""), row.data.get("phone", "")
        pk = book.person_by_name_phone.get((name, phone))
        stored = book.person_id_number.get(pk, "") if pk is not None else ""
        if pk is None or not masking.masked_id_number_matches(masked, stored):
            row.fail("身份证号码",
                     _("身份证号码为脱敏显示，只能用于更新已登记的同一姓名、电话的人员；新增人员请填写完整号码"))
            return
        row.key = ("name_phone", name, phone)

    def existing(self, key, book):
        if key[0] == "id":
            return book.person_by_id_number.get(key[1])
        return book.person_by_name_phone.get(key[1:])

    def remember(self, key, instance, book):
        if instance.id_number:
            book.person_by_id_number[instance.id_number] = instance.pk
        book.person_by_name_phone[(instance.name, instance.phone)] = instance.pk

    def export_row(self, r, book):
        return [r["name"], r["phone"], book.id_number(r["id_number"]), r["title"],
                _ref(book.organisation_code, r["organisation_id"]), _ref(book.enterprise_uscc, r["enterprise_id"]), _ref(book.area_code, r["township_id"]),
                _ref(book.area_code, r["grid_id"])]
