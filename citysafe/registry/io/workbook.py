"""Reading an uploaded workbook and writing its error report.

The uploaded file is checked before anything is parsed: its size, that it is a zip at all,
and then the zip directory (`inspect_archive`): the members' uncompressed sizes and
compression ratios (a zip bomb is refused before a byte is decompressed), and every XML
member's prolog (a DOCTYPE or ENTITY declaration is refused; defusedxml, which openpyxl uses
when installed, is the second line against entity expansion). While rows are read, the row
count and each cell's length are bounded, and a damaged sheet becomes a clear message.

The header row is found even under a ledger's title rows, and the report is the user's own
workbook with an error column (错误说明) and the bad cells filled red, so they fix it in place.
"""
import io
import re
import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

from citysafe.registry.io.spreadsheets import FORMAT_NAMES, open_book, sniff

ERROR_HEADER = "错误说明"
SKIPPED_SHEETS = {"说明", "代码表"}
HEADER_SEARCH_ROWS = 10
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")
MAX_MEMBERS = 10000            # files inside one zip
RATIO_FROM_BYTES = 1024 * 1024  # the compression ratio is judged on members larger than this
PROLOG_BYTES = 64 * 1024       # how much of an XML member is searched for a DTD
ANNOTATED_REPORT_MAX_ROWS = 5000  # larger files get a list of errors instead of their own workbook back


class FileProblem(ValueError):
    """The file as a whole cannot be imported; nothing was read into the database."""


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def import_max_bytes() -> int:
    default = max(getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024), 50 * 1024 * 1024)
    return limit("IMPORT_MAX_BYTES", default)


def max_rows() -> int:
    return limit("IMPORT_MAX_ROWS", 100000)


def max_cell_chars() -> int:
    return limit("IMPORT_MAX_CELL_CHARS", 32767)


def check_upload(data: bytes, suffix: str = ".xlsx") -> None:
    max_bytes = import_max_bytes()
    if len(data) > max_bytes:
        raise FileProblem(_("文件过大：%(size).1f MB，上限为 %(limit).1f MB") % {
            "size": len(data) / 1048576, "limit": max_bytes / 1048576})
    if not data:
        raise FileProblem(_("文件为空"))
    if suffix == ".xlsx" and not sniff(data):  # the workbook formats, told by content
        raise FileProblem(_("不是可以导入的表格文件：请上传 %(formats)s") % {"formats": _(FORMAT_NAMES)})
    if suffix == ".zip" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(_("不是有效的ZIP压缩包"))


_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def inspect_archive(data: bytes, *, xml: bool = True) -> None:
    """Refuse a zip whose directory promises too much, before anything is decompressed.

    Hand-written because no library checks a zip's directory against size and ratio limits;
    the sizes come from the central directory, and Python's zipfile never inflates a member
    past the size its directory entry declares, so the check cannot be lied around.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileProblem(_("压缩文件已损坏或不完整")) from None
    if len(infos) > MAX_MEMBERS:
        raise FileProblem(_("压缩文件中的文件过多（%(n)d个）") % {"n": len(infos)})
    total = sum(info.file_size for info in infos)
    max_total = limit("IMPORT_MAX_UNCOMPRESSED_BYTES", 256 * 1024 * 1024)
    if total > max_total:
        raise FileProblem(_("文件解压后过大：%(size).1f MB，上限为 %(limit).1f MB") % {
            "size": total / 1048576, "limit": max_total / 1048576})
    ratio = limit("IMPORT_MAX_COMPRESSION_RATIO", 100)
    for info in infos:
        if info.file_size > RATIO_FROM_BYTES and info.file_size > ratio * max(info.compress_size, 1):
            raise FileProblem(_("文件压缩比异常（%(name)s 解压后为压缩前的%(ratio)d倍），疑似压缩炸弹，已拒绝") % {
                "name": info.filename[:80], "ratio": info.file_size // max(info.compress_size, 1)})
    if xml:
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                _refuse_dtd(archive, info)


def _refuse_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with archive.open(info) as member:
            head = member.read(PROLOG_BYTES)
    except Exception:  # zipfile raises many kinds (bad CRC, zlib, encryption) for one broken member
        raise FileProblem(_("文件已损坏或不完整（%(name)s 无法解压）") % {"name": info.filename[:80]}) from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 XML
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if _DTD.search(head):
        raise FileProblem(_("文件含有XML文档类型或实体声明（DOCTYPE/ENTITY），出于安全原因已拒绝"))


def damaged(exc: Exception) -> FileProblem:
    """The message for an exception raised while openpyxl reads a file."""
    if isinstance(exc, DefusedXmlException):
        return FileProblem(_("文件含有XML文档类型或实体声明（DOCTYPE/ENTITY），出于安全原因已拒绝"))
    if isinstance(exc, MemoryError):
        return FileProblem(_("文件内容过大，无法处理"))
    return FileProblem(_("文件已损坏或不完整，无法读取（%(error)s）。请用Excel打开后重新保存再导入") % {
        "error": exc.__class__.__name__})


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
    """(layout, total_estimate, iterator of (row_number, {header: value})) over a read-only workbook.

    The iterator raises FileProblem for a sheet longer than IMPORT_MAX_ROWS, a cell longer
    than IMPORT_MAX_CELL_CHARS, or a damaged sheet; callers read it before writing anything.
    """
    file_type = sniff(data)
    if file_type not in ("xls", "ods"):
        inspect_archive(data)
    try:
        if file_type in ("xls", "ods"):
            workbook = open_book(data, file_type)
            sheet = workbook.data_sheet(kind.label, SKIPPED_SHEETS)
        else:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = data_sheet(workbook, kind.label)
        head = [tuple(row) for row in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)]
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise damaged(exc) from None
    layout = find_layout(head, kind)
    total = max((sheet.max_row or 0) - layout.header_row, 0)
    most, longest = max_rows(), max_cell_chars()
    if total > most:  # the sheet's declared dimension: refused before any row is read
        workbook.close()
        raise FileProblem(too_many_rows(most))

    def rows():
        positions = [(i, h) for i, h in enumerate(layout.headers) if h and h != ERROR_HEADER]
        number, count = layout.header_row, 0
        try:
            for number, values in enumerate(sheet.iter_rows(min_row=layout.header_row + 1, values_only=True),
                                            start=layout.header_row + 1):
                if values is None or all(v in (None, "") for v in values):
                    continue
                count += 1
                if count > most:
                    raise FileProblem(too_many_rows(most))
                cells = {h: (values[i] if i < len(values) else None) for i, h in positions}
                for header, value in cells.items():
                    if isinstance(value, str) and len(value) > longest:
                        raise FileProblem(
                            _("第%(row)d行“%(col)s”的内容过长：%(n)d个字符，每个单元格上限为%(limit)d个字符")
                            % {"row": number, "col": header, "n": len(value), "limit": longest})
                yield number, cells
        except FileProblem:
            raise
        except Exception as exc:  # a truncated or damaged sheet fails mid-stream in many ways
            problem = damaged(exc)
            raise FileProblem(_("第%(row)d行之后：%(problem)s") % {"row": number, "problem": problem}) from None
        finally:
            workbook.close()

    return layout, total, rows()


def too_many_rows(most: int) -> str:
    return _("数据行过多：一次最多导入%(n)d行，请拆分为多个文件") % {"n": most}


def error_report(data: bytes, kind, layout: SheetLayout, errors, total: int = 0) -> bytes:
    """The uploaded workbook with 错误说明 filled per bad row and the bad cells highlighted.

    openpyxl's normal mode keeps every cell in memory (about 0.5 KB each), so a large file gets
    the plain list of errors (row, column, message) instead of its own workbook back.
    """
    if total > ANNOTATED_REPORT_MAX_ROWS or sniff(data) != "xlsx":  # .xls/.ods: the list of errors
        return errors_list(errors, _("行号"))
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


def errors_list(errors, row_label: str) -> bytes:
    """For files that are not workbooks, or too large to annotate: one row per error."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ERROR_HEADER)
    sheet.append([row_label, "字段", ERROR_HEADER])
    for error in sorted(errors, key=lambda e: e.row):
        sheet.append([error.row, error.header, error.message])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
