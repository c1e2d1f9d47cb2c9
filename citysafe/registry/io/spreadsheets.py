"""Workbooks that are not .xlsx: legacy Excel (.xls, still common in county offices) and
OpenDocument (.ods, LibreOffice/WPS's own format), read by python-calamine (a Rust reader of
xls/xlsx/ods) into the same row stream as the .xlsx reader (workbook.open_rows), under the
same limits: rows, cell length, and for the zip-based .ods the archive checks (sizes,
compression ratio, no DTD); an .xls (not compressed) is bounded by its size.

The format is told by content, never by the file name: an OLE2 compound file is .xls, a zip
whose `mimetype` member names an OpenDocument spreadsheet is .ods, another zip is .xlsx.
"""
import io
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
FORMAT_NAMES = gettext_noop("Excel（.xlsx、.xls）或 WPS/LibreOffice 表格（.ods）")


def sniff(data: bytes) -> str:
    """'xlsx', 'xls', 'ods' or '' (not a workbook we read), from the file's content."""
    if data.startswith(OLE2):
        return "xls"
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        return ""
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 200 and archive.read(info).strip() == ODS_MIMETYPE:
                    return "ods"
                return ""
            return "xlsx" if "[Content_Types].xml" in names else ""
    except Exception:  # a damaged zip: the xlsx path reports it  # noqa: BLE001
        return "xlsx"


def xls_max_bytes() -> int:
    from citysafe.registry.io.workbook import limit

    return limit("IMPORT_MAX_XLS_BYTES", 30 * 1024 * 1024)


class CalamineSheet:
    """The part of an openpyxl read-only sheet that workbook.open_rows uses: `max_row` and
    `iter_rows(min_row, max_row, values_only=True)`, rows numbered as the user sees them."""

    def __init__(self, sheet):
        self.sheet = sheet
        start = sheet.start or (0, 0)
        self.first_row, self.first_col = start
        self.max_row = self.first_row + sheet.height

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, values_only: bool = True):
        pad = (None,) * self.first_col
        for _number in range(min_row, min(self.first_row + 1, (max_row or self.max_row) + 1)):
            yield pad  # rows above the used range are blank
        for index, values in enumerate(self.sheet.iter_rows()):
            number = self.first_row + 1 + index
            if number < min_row:
                continue
            if max_row is not None and number > max_row:
                return
            # calamine gives "" for an empty cell where openpyxl gives None
            yield pad + tuple(None if value == "" else value for value in values)


class CalamineBook:
    def __init__(self, data: bytes):
        import python_calamine

        self.book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        self.sheetnames = list(self.book.sheet_names)

    def __getitem__(self, name):
        return CalamineSheet(self.book.get_sheet_by_name(name))

    def data_sheet(self, preferred: str, skipped) -> CalamineSheet:
        from citysafe.registry.io.workbook import FileProblem

        if preferred in self.sheetnames:
            return self[preferred]
        for name in self.sheetnames:
            if name not in skipped:
                return self[name]
        raise FileProblem(_("工作簿中没有数据表"))

    def close(self):
        close = getattr(self.book, "close", None)
        if close is not None:
            close()


def open_book(data: bytes, file_type: str):
    """A calamine workbook of an .xls or .ods, after the checks its format needs."""
    from citysafe.registry.io.workbook import FileProblem, inspect_archive

    if file_type == "ods":
        inspect_archive(data)
    elif len(data) > xls_max_bytes():
        raise FileProblem(_("Excel 97-2003 文件（.xls）过大：%(size).1f MB，上限为 %(limit).1f MB；"
                            "请另存为 .xlsx 后导入") % {"size": len(data) / 1048576, "limit": xls_max_bytes() / 1048576})
    return CalamineBook(data)
