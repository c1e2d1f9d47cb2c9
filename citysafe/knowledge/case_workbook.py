"""Accident cases from an Excel template (openpyxl), all or nothing, with a row-by-row report.

Bounded like the registry's imports (registry/io/workbook.py): the file's size and type by
content, the zip directory (sizes, compression ratio, no DTD) before openpyxl opens it, rows
and characters per cell while reading. Every row is checked first (outside any transaction);
only a file without a bad row is written, in one transaction, each row through create_case.
"""
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from citysafe.knowledge.services.cases import _require_admin, clean_case, create_case
from citysafe.registry.io.spreadsheets import sniff
from citysafe.registry.io.workbook import (
    FileProblem,
    check_upload,
    import_max_bytes,
    inspect_archive,
    max_cell_chars,
    max_rows,
)

# (header, field, note) — the template's columns, in order.
COLUMNS = (
    ("案例标题", "title", "必填，不与已有案例重名"), ("事故日期", "occurred_on", "必填，YYYY-MM-DD 或日期格式"),
    ("地点", "place", "必填"), ("行业", "industry", "必填"), ("事故类型", "accident_type", "必填，GB 6441 类别，如 火灾"),
    ("死亡人数", "deaths", "整数"), ("受伤人数", "injuries", "整数"), ("直接经济损失（万元）", "direct_loss", "数字"),
    ("事故经过", "summary", "必填"), ("事故原因", "cause", "必填"), ("事故教训", "lessons", ""),
    ("防范和整改措施", "measures", ""), ("违反条款", "violated", "每行一条或用；分隔，如 安全生产法 第四十一条"),
)
SHEET = "事故案例"


@dataclass
class CaseImportReport:
    ok: bool
    created: int = 0
    errors: list[str] = field(default_factory=list)   # "第3行 事故类型：…"


def check_limit() -> int:
    return import_max_bytes()


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header for header, _field, _note in COLUMNS])
    sheet.append([note for _header, _field, note in COLUMNS])
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(data: bytes):
    check_upload(data)
    if sniff(data) != "xlsx":
        raise FileProblem(_("事故案例请使用 .xlsx 模板导入"))
    inspect_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for one damaged file
        raise FileProblem(_("表格文件已损坏，无法读取")) from exc
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, ())]
    wanted = [h for h, _f, _n in COLUMNS]
    missing = [h for h in wanted if h not in header]
    if missing:
        raise FileProblem(_("缺少列：%(columns)s（请使用导入模板）") % {"columns": "、".join(missing)})
    index = {h: header.index(h) for h in wanted}
    for number, row in enumerate(rows, start=2):
        if number - 1 > max_rows():
            raise FileProblem(_("行数超过上限 %(n)d") % {"n": max_rows()})
        values = {f: (row[index[h]] if index[h] < len(row) else None) for h, f, _n in COLUMNS}
        if all(v in (None, "") for v in values.values()) or values["title"] == COLUMNS[0][2]:
            continue  # blank rows, and the template's note row
        if any(isinstance(v, str) and len(v) > max_cell_chars() for v in values.values()):
            raise FileProblem(_("第%(row)d行有单元格超过 %(n)d 个字符") % {"row": number, "n": max_cell_chars()})
        yield number, values


def import_cases(actor, data: bytes, *, is_synthetic: bool = False) -> CaseImportReport:
    _require_admin(actor)
    try:
        rows = list(_rows(data))
    except FileProblem as problem:
        return CaseImportReport(ok=False, errors=[str(problem)])
    labels, errors, titles = {f: h for h, f, _n in COLUMNS}, [], set()
    for number, values in rows:
        try:
            clean_case(values)
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                errors += [_("第%(row)d行 %(column)s：%(problem)s") % {
                    "row": number, "column": labels.get(name, name), "problem": p} for p in problems]
        if values["title"] in titles:
            errors.append(_("第%(row)d行 案例标题：与前面的行重复") % {"row": number})
        titles.add(values["title"])
    if not rows:
        errors.append(_("文件中没有案例"))
    if errors:
        return CaseImportReport(ok=False, errors=errors)
    try:
        with transaction.atomic():
            for _number, values in rows:
                create_case(actor, values, is_synthetic=is_synthetic)
    except ValidationError as error:  # a title taken meanwhile: nothing was written
        return CaseImportReport(ok=False, errors=[str(m) for m in error.messages])
    return CaseImportReport(ok=True, created=len(rows))
