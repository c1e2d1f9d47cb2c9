"""Checklist templates (检查表): written by the county office and the departments, read by
everyone who inspects. Items are [{"text", "basis", "category"}]; the basis names an article
("消防法 第十六条") that pages link through the knowledge app."""
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import text_problem
from citysafe.hazards.inspection_models import ChecklistTemplate
from citysafe.hazards.models import Category

MAX_ITEMS = 100


def _items(value, errors: ErrorCollector) -> list[dict]:
    if not isinstance(value, list) or not value:
        errors.add("items", _("检查表至少须有一项检查项目"), "required")
        return []
    if len(value) > MAX_ITEMS:
        errors.add("items", _("检查项目不能超过%(n)s项") % {"n": MAX_ITEMS}, "too_many")
        return []
    cleaned = []
    for n, item in enumerate(value, start=1):
        item = item if isinstance(item, dict) else {}
        text, basis = item.get("text"), item.get("basis")
        category = item.get("category") or Category.OTHER
        if not isinstance(text, str) or not text.strip() or len(text) > 300 or text_problem(text):
            errors.add("items", _("第%(n)s项：检查内容须为1至300个字符的文本") % {"n": n}, "item_text")
        elif not isinstance(basis, str) or not basis.strip() or len(basis) > 100 or text_problem(basis):
            errors.add("items", _("第%(n)s项：须写明依据的法规条文（如“消防法 第十六条”），不超过100个字符") % {"n": n},
                       "item_basis")
        elif category not in Category.values:
            errors.add("items", _("第%(n)s项：隐患类别不正确") % {"n": n}, "item_category")
        else:
            cleaned.append({"text": text.strip(), "basis": basis.strip(), "category": category})
    return cleaned


def _apply(template: ChecklistTemplate, data: dict, errors: ErrorCollector) -> None:
    for name in sorted(set(data) - {"name", "place_type", "items"}):
        errors.add(name, _("不允许修改该字段"), "field_not_allowed")
    for name, limit in (("name", 100), ("place_type", 32)):
        if name not in data:
            continue
        value = data[name] if data[name] is not None else ""
        if not isinstance(value, str) or len(value.strip()) > limit or text_problem(value):
            errors.add(name, _("长度不能超过%(n)s个字符") % {"n": limit}, "max_length")
        elif name == "name" and not value.strip():
            errors.add(name, _("须填写检查表名称"), "required")
        else:
            setattr(template, name, value.strip())
    if "items" in data:
        template.items = _items(data["items"], errors)


@transaction.atomic
def create_template(actor, data: dict) -> ChecklistTemplate:
    template, errors = open_for_create(actor, ChecklistTemplate, data), ErrorCollector()
    for name in ("name", "items"):
        if name not in data:
            errors.add(name, _("此项为必填项"), "required")
    _apply(template, data, errors)
    errors.raise_if_any()
    return save_record(actor, template, action="create", before=None)


@transaction.atomic
def update_template(actor, pk, data: dict, *, expected_version: int | None = None) -> ChecklistTemplate:
    template = open_for_change(actor, ChecklistTemplate, pk, data, expected_version=expected_version)
    before, errors = snapshot(template), ErrorCollector()
    _apply(template, data, errors)
    errors.raise_if_any()
    return save_record(actor, template, action="update", before=before)
