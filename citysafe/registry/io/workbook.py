"""Reading an uploaded workbook and writing its error report.

The uploaded file is checked before anything is parsed (size, that it is an .xlsx at all),
the header row is found even under a ledger's title rows, and the report is the user's own
workbook with an error column (错误说明) and the bad cells filled red, so they fix it in place.
"""
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

ERROR_HEADER = "错误说明"
SKIPPED_SHEETS = {"说明", "代码表"}
HEADER_SEARCH_ROWS = 10
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")


class FileProblem(ValueError):
    """The file as a whole cannot be imported; nothing was read into the database."""


def import_max_bytes() -> int:
    default = max(getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024), 50 * 1024 * 1024)
    return int(getattr(settings, "IMPORT_MAX_BYTES", default))


def check_upload(data: bytes, suffix: str = ".xlsx") -> None:
    limit = import_max_bytes()
    if len(data) > limit:
        raise FileProblem(_("文件过大：%(size).1f MB，上限为 %(limit).1f MB") % {
            "size": len(data) / 1048576, "limit": limit / 1048576})
    if not data:
        raise FileProblem(_("文件为空"))
    if suffix in (".xlsx", ".zip") and not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(_("不是有效的Excel文件（.xlsx）") if suffix == ".xlsx" else _("不是有效的ZIP压缩包"))


def data_sheet(workbook, preferred: str):
    if preferred in workbook.sheetnames:
        return workbook[preferred]
    for sheet in workbook.worksheets:
        if sheet.title not in SKIPPED_SHEETS:
            return sheet
    raise FileProblem(_("工作簿中没有数据表"))


@dataclass
class SheetLayout:
    header_row: int               # 1-based row number of the header row
    headers: list[str]            # header text per column position ("" for blank)


def find_layout(rows_head: list[tuple], kind) -> SheetLayout:
    """The header row is the first of the top rows that holds every required header."""
    required = [c.header for c in kind.import_columns if c.required]
    known = {c.header for c in kind.columns} | {ERROR_HEADER}
    best, best_hits = None, -1
    for index, values in enumerate(rows_head, start=1):
        headers = [str(v).strip() if v is not None else "" for v in values]
        hits = sum(1 for h in headers if h in known)
        if all(r in headers for r in required):
            unknown = [h for h in headers if h and h not in known]
            if unknown:
                raise FileProblem(_("无法识别的列：%(cols)s（请使用平台提供的模板）") % {"cols": "、".join(unknown)})
            duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
            if duplicated:
                raise FileProblem(_("列名重复：%(cols)s") % {"cols": "、".join(duplicated)})
            return SheetLayout(index, headers)
        if hits > best_hits:
            best, best_hits = headers, hits
    if not best_hits or best_hits <= 0:
        raise FileProblem(_("找不到表头行：请使用平台提供的“%(label)s”导入模板") % {"label": kind.label})
    missing = [r for r in required if r not in best]
    raise FileProblem(_("缺少必填列：%(cols)s") % {"cols": "、".join(missing)})


def open_rows(data: bytes, kind):
    """(layout, total_estimate, iterator of (row_number, {header: value})) over a read-only workbook."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileProblem(_("无法读取Excel文件：%(error)s") % {"error": exc.__class__.__name__}) from None
    sheet = data_sheet(workbook, kind.label)
    head = [tuple(row) for row in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)]
    layout = find_layout(head, kind)
    total = max((sheet.max_row or 0) - layout.header_row, 0)

    def rows():
        positions = [(i, h) for i, h in enumerate(layout.headers) if h and h != ERROR_HEADER]
        try:
            for number, values in enumerate(sheet.iter_rows(min_row=layout.header_row + 1, values_only=True),
                                            start=layout.header_row + 1):
                if values is None or all(v in (None, "") for v in values):
                    continue
                yield number, {h: (values[i] if i < len(values) else None) for i, h in positions}
        finally:
            workbook.close()

    return layout, total, rows()


def error_report(data: bytes, kind, layout: SheetLayout, errors) -> bytes:
    """The uploaded workbook with 错误说明 filled per bad row and the bad cells highlighted."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = data_sheet(workbook, kind.label)
    column_of = {h: i + 1 for i, h in enumerate(layout.headers) if h}
    error_col = column_of.get(ERROR_HEADER) or len(layout.headers) + 1
    header_cell = sheet.cell(row=layout.header_row, column=error_col, value=ERROR_HEADER)
    header_cell.font = Font(bold=True, color="9C0006")
    sheet.column_dimensions[header_cell.column_letter].width = 60
    if ERROR_HEADER in column_of:  # a report fed back in: clear the old messages
        for row in range(layout.header_row + 1, sheet.max_row + 1):
            sheet.cell(row=row, column=error_col).value = None
    by_row: dict[int, list] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    for row, row_errors in by_row.items():
        messages = []
        for error in row_errors:
            messages.append(f"{error.header}：{error.message}" if error.header else error.message)
            if error.header in column_of:
                cell = sheet.cell(row=row, column=column_of[error.header])
                cell.fill, cell.font = BAD_FILL, BAD_FONT
        cell = sheet.cell(row=row, column=error_col, value="；".join(messages))
        cell.font = BAD_FONT
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
