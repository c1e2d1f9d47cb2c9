"""Responsible persons (实名制, C2) named in a workbook cell.

One rule for every link column (安全管理负责人, 第一责任人, 直接责任人, 场所责任人):
a person is written "姓名/身份证号码" or "姓名/电话" — the same natural key the 人员 sheet
uses to recognise a person (ID number when there is one, else name + phone). Exports write
"姓名/身份证号码" for persons with an ID number and "姓名/电话" otherwise, so a ledger
re-imports to the same person. A place lists several persons separated by "；".

The directory is one query over the persons the importing (or exporting) user may see
(core.scope.narrow), so a row never costs a query and a person outside the user's scope
reads as unknown on import and as blank on export.

ID numbers in exported cells follow core.masking: a user who may not see them in full gets
"姓名/622926********0064". Such a cell, imported again (by anyone), names the person whose
name and masked number match — exactly one within the importer's scope — and changes nothing
about that person.
"""
import re

from django.utils.translation import gettext as _

from citysafe.core import masking, scope
from citysafe.registry.models import Person

ID_NUMBER_SHAPE = re.compile(r"^\d{17}[\dX]$")
SEPARATORS = re.compile(r"[；;，,、\n]+")
RULE = "填写“姓名/身份证号码”或“姓名/电话”，须为已登记（先导入人员）且在您数据范围内的人员"


def rule() -> str:
    return _("填写“姓名/身份证号码”或“姓名/电话”，须为已登记（先导入人员）且在您数据范围内的人员")


def reference(name: str, phone: str, id_number: str) -> str:
    return f"{name}/{id_number or phone}"


def split_references(value: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(value or "") if part.strip()]


class PersonDirectory:
    def __init__(self, actor):
        self.by_id_number: dict[str, tuple[int, str]] = {}
        self.by_name_phone: dict[tuple[str, str], list[int]] = {}
        self.by_masked: dict[tuple[str, str], list[int]] = {}
        self.text: dict[int, str] = {}
        self.enterprise: dict[int, int | None] = {}
        full = masking.sees_full_id_numbers(actor)
        rows = scope.narrow(actor, Person.objects.all()).values_list("id", "name", "phone", "id_number",
                                                                     "enterprise_id")
        for pk, name, phone, id_number, enterprise_id in rows.iterator(chunk_size=5000):
            if id_number:
                self.by_id_number[id_number.upper()] = (pk, name)
                self.by_masked.setdefault((name, masking.mask_id_number(id_number.upper())), []).append(pk)
            self.by_name_phone.setdefault((name, phone), []).append(pk)
            self.text[pk] = reference(name, phone, masking.id_number_for(actor, id_number, full=full))
            self.enterprise[pk] = enterprise_id

    def resolve(self, value: str) -> tuple[int | None, str]:
        """(person id, "") or (None, message naming the rule)."""
        name, slash, key = value.replace("／", "/").rpartition("/")
        name, key = name.strip(), key.strip().replace(" ", "")
        if not slash or not name or not key:
            return None, _("“%(value)s”格式不正确：%(rule)s") % {"value": value, "rule": rule()}
        if ID_NUMBER_SHAPE.match(key.upper()):
            found = self.by_id_number.get(key.upper())
            if found is not None and found[1] == name:
                return found[0], ""
            return None, _("人员“%(value)s”不存在或不在您的数据范围内（%(rule)s）") % {"value": value, "rule": rule()}
        if masking.is_masked_id_number(key):
            return self._resolve_masked(value, name, key.upper())
        matches = self.by_name_phone.get((name, key), [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, _("“%(value)s”对应多名人员，请改写为“姓名/身份证号码”") % {"value": value}
        return None, _("人员“%(value)s”不存在或不在您的数据范围内（%(rule)s）") % {"value": value, "rule": rule()}

    def _resolve_masked(self, value: str, name: str, masked: str) -> tuple[int | None, str]:
        """A cell exported with a masked ID number (core.masking): the person of that name whose
        number masks the same way, when there is exactly one."""
        matches = self.by_masked.get((name, masked), [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, (_("“%(value)s”的身份证号码为脱敏显示，对应多名人员，请改写为完整的“姓名/身份证号码”")
                          % {"value": value})
        return None, _("人员“%(value)s”不存在或不在您的数据范围内（%(rule)s）") % {"value": value, "rule": rule()}
