"""Exporting registry lists as the user sees them: the same selector (list_records) with the
same filters, so an export never holds a row the list would not show.

Ledger (台账) layout: a title row, the exporting unit and time, then the import template's
headers — so a ledger can be edited and imported back. Rows stream from the database with
`.iterator()` over `values_list` (no model instances) into an openpyxl write_only workbook,
and GeoJSON is produced by a generator, so memory stays flat however long the list is.

Personal data in every export follows core.masking (person rows and person cells alike,
through CodeBook). Every export leaves one audit record (`audit_export`): who, which list,
search and filters, format, row count; the channel (page, worker, command) comes from the
audit context. Stored values never make an export fail and never run as formulas: see
`ledger_value` and `_feature_json`.
"""
import copy
import datetime
import json
import math
import re
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from citysafe.core import masking
from citysafe.core.audit import record_change
from citysafe.core.db import read_alias, replica_reads
from citysafe.registry.io.codes import CodeBook
from citysafe.registry.io.kinds import get_kind
from citysafe.registry.selectors import list_records

CHUNK = 2000
LEDGER_HEADER_ROW = 3
# A cell starting with one of these is a formula (or becomes one when edited) in Excel,
# LibreOffice and WPS: OWASP "CSV injection" list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"
# Characters an .xlsx (XML 1.0) cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE (control
# characters, which it refuses with IllegalCharacterError) plus lone surrogates and U+FFFE/FFFF.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NEEDS_CARE = re.compile("^[=+\\-@\t\r]|" + NOT_XML.pattern)


def export_queryset(user, kind, *, search: str = "", filters: dict | None = None, ordering: str = "id"):
    queryset = list_records(user, kind.resource, search=search, filters=filters, ordering=ordering)
    fields = kind.export_fields if "id" in kind.export_fields else ("id", *kind.export_fields)
    # The row stream is the heavy read: on the read replica when there is one (core.db).
    return queryset.values(*fields).using(read_alias())


@replica_reads
def count_rows(user, kind_name: str, *, search: str = "", filters: dict | None = None, ordering: str = "id") -> int:
    """The rows an export would write; an ordering the list does not offer is refused here
    (BadQuery), before any file is started."""
    kind = get_kind(kind_name)
    return list_records(user, kind.resource, search=search, filters=filters, ordering=ordering).count()


def unit_of(user) -> str:
    org = getattr(user, "organisation", None)
    if org is not None:
        return org.name
    enterprise = getattr(user, "enterprise", None)
    return enterprise.name if enterprise is not None else getattr(user, "username", "")


# Print and display set-up of every ledger (台账): the look county offices print and file.
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
COORDINATE_KEYS = {"lon", "lat"}
COORDINATE_FORMAT = "0.000000"
INTEGER_FORMAT = "0"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def write_ledger(user, kind_name: str, target, *, search: str = "", filters: dict | None = None,
                 ordering: str = "id", progress=None) -> int:
    """Write the ledger workbook to `target` (a path or a binary file object); returns the row count.

    The title is merged over the columns and centred; header and data cells have thin borders;
    the header row is frozen and repeated on every printed page; pages are A4 landscape,
    fitted to one page wide; coordinates show 6 decimals, counts as integers, times as
    yyyy-mm-dd hh:mm. All of it works on openpyxl's streaming (write_only) sheets."""
    kind = get_kind(kind_name)
    book = CodeBook(user)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind.label)
    columns = kind.export_columns
    last = _letter(len(columns) - 1)
    for index, column in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = column.width
    _page_setup(sheet, last)
    title = WriteOnlyCell(sheet, value=_("%(label)s台账") % {"label": kind.label})
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    sheet.append([title])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.append([ledger_value(sheet, _("导出单位：%(unit)s") % {"unit": unit_of(user)}),
                  _("导出时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}])
    header_cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        cell.border = BORDER
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    keys = [column.key for column in columns]
    styles: dict = {}
    rows = 0
    for record in export_queryset(user, kind, search=search, filters=filters,
                                  ordering=ordering).iterator(chunk_size=CHUNK):
        sheet.append([_data_cell(sheet, key, value, styles)
                      for key, value in zip(keys, kind.export_row(record, book), strict=True)])
        rows += 1
        if progress is not None and rows % CHUNK == 0:
            progress(rows)
    workbook.save(target)
    return rows


def _page_setup(sheet, last: str) -> None:
    sheet.freeze_panes = f"A{LEDGER_HEADER_ROW + 1}"
    sheet.print_title_rows = f"{LEDGER_HEADER_ROW}:{LEDGER_HEADER_ROW}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")


def _data_cell(sheet, key: str, value, styles: dict) -> WriteOnlyCell:
    """A data cell with its border and number format (see ledger_value for the value rules)."""
    value = ledger_value(sheet, value)
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
    raw = cell.value
    number_format = "General"
    if key in COORDINATE_KEYS and isinstance(raw, (int, float)):
        number_format = COORDINATE_FORMAT
    elif isinstance(raw, int) and not isinstance(raw, bool):
        number_format = INTEGER_FORMAT
    elif isinstance(raw, (datetime.datetime, datetime.date)):
        if isinstance(raw, datetime.datetime) and timezone.is_aware(raw):
            cell.value = timezone.localtime(raw).replace(tzinfo=None)
        number_format = DATETIME_FORMAT
    if cell.quotePrefix:  # a formula-like text keeps its own style (quote prefix)
        cell.border = BORDER
        return cell
    style = styles.get(number_format)
    if style is None:
        # Setting border and number format on each cell makes openpyxl look the style up in
        # its tables every time (about 2.5 times slower over a ledger); a style is registered
        # once per format and its index array copied, as openpyxl's own cell copy does.
        model = WriteOnlyCell(sheet)
        model.border = BORDER
        model.number_format = number_format
        style = styles[number_format] = model._style
    cell._style = copy.copy(style)
    return cell


def ledger_value(sheet, value):
    """A stored value as a ledger cell that Excel shows as written and never evaluates.

    Characters a workbook cannot hold (control characters, which openpyxl refuses with
    IllegalCharacterError, and other non-XML characters) become U+FFFD instead of failing
    the whole export. Text starting like a formula is written as a text
    cell with Excel's quote prefix (the hidden apostrophe of typing '=…): it shows and
    re-imports unchanged, and stays text when someone edits the cell. Non-finite numbers,
    which have no spreadsheet form, are left blank. Hand-written because openpyxl turns a
    leading "=" into a formula and offers no switch against it.
    """
    if isinstance(value, str):
        if NEEDS_CARE.search(value) is None:  # the common case: one regex scan, no copy
            return value
        value = NOT_XML.sub(REPLACEMENT, value)
        if not value.startswith(FORMULA_STARTS):
            return value
    elif isinstance(value, float) and not math.isfinite(value):
        return None
    else:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# The per-type GeoJSON exports (GIS tools such as GDAL write one geometry type per Shapefile).
GEOMETRY_TYPES = {"point": ("Point", "MultiPoint"), "line": ("LineString", "MultiLineString"),
                  "polygon": ("Polygon", "MultiPolygon")}
RAW_CODES = {"level", "place_type", "scale", "standardisation_grade", "operating_status", "kind"}
RENAMED = {"parent_id": "parent_code", "township_id": "township_code", "grid_id": "grid_code",
           "industry_id": "industry_code", "supervising_department_id": "supervising_department_code",
           "owner_enterprise_id": "owner_enterprise_uscc", "organisation_id": "organisation_code",
           "enterprise_id": "enterprise_uscc", "area_id": "area_code", "industry_ids": "industry_codes",
           # persons as the ledger names them: "姓名/身份证号码" or "姓名/电话" (io.person_refs)
           "safety_officer_id": "safety_officer", "first_responsible_id": "first_responsible",
           "direct_responsible_id": "direct_responsible", "responsible_person_ids": "responsible_persons"}


def check_geometry_type(geometry_type: str) -> str:
    if geometry_type and geometry_type not in GEOMETRY_TYPES:
        raise ValueError(_("不支持的几何类型：%(value)s，可选：point（点）、line（线）、polygon（面）") % {
            "value": geometry_type[:20]})
    return geometry_type


def _geometry_queryset(queryset, kind, geometry_type: str):
    """Only the records of one geometry type, asked of the database where the geometry is
    stored (a JSON key lookup); kinds without a stored geometry are points (lon/lat)."""
    if not geometry_type:
        return queryset
    if any(field.name == "geometry" for field in kind.model._meta.concrete_fields):
        return queryset.filter(geometry__type__in=GEOMETRY_TYPES[geometry_type])
    return queryset if geometry_type == "point" else queryset.none()


@replica_reads
def count_geojson_rows(user, kind_name: str, *, search: str = "", filters: dict | None = None,
                       ordering: str = "id", geometry_type: str = "") -> int:
    kind = get_kind(kind_name)
    queryset = list_records(user, kind.resource, search=search, filters=filters, ordering=ordering)
    return _geometry_queryset(queryset, kind, check_geometry_type(geometry_type)).count()


def geojson_chunks(user, kind_name: str, *, search: str = "", filters: dict | None = None,
                   ordering: str = "id", progress=None, geometry_type: str = "") -> Iterator[str]:
    """A FeatureCollection, piece by piece. Properties carry the ledger's columns under their
    codes (an area feature: code, name, level, parent_code, population) so it re-imports, with
    the Chinese label beside each code (scale + scale_label, industry_code + industry_name).
    Polygons follow RFC 7946 (exterior rings counter-clockwise); `geometry_type` keeps one
    geometry type only (point, line, polygon)."""
    kind = get_kind(kind_name)
    book = CodeBook(user)
    keys = [column.key for column in kind.export_columns]
    queryset = _geometry_queryset(export_queryset(user, kind, search=search, filters=filters, ordering=ordering), kind,
                                  check_geometry_type(geometry_type))
    yield '{"type":"FeatureCollection","features":['
    rows = 0
    for record in queryset.iterator(chunk_size=CHUNK):
        values = kind.export_row(record, book)
        properties = {}
        for key, value in zip(keys, values, strict=True):
            if key in RAW_CODES:
                properties[f"{key}_label"] = value
                value = record.get(key, value)
            elif key == "industry_id":
                properties["industry_name"] = value
                value = book.industry_code.get(record.get(key), "") if record.get(key) else ""
            properties[RENAMED.get(key, key)] = value
        properties.pop("geometry", None)
        feature = {"type": "Feature", "geometry": rfc7946(kind.export_geometry(record)), "properties": properties}
        yield ("," if rows else "") + _feature_json(feature)
        rows += 1  # noqa: SIM113 (the count is also the separator test above)
        if progress is not None and rows % CHUNK == 0:
            progress(rows)
    yield "]}"


def rfc7946(geometry):
    """Polygon rings as RFC 7946 asks (exterior counter-clockwise, holes clockwise), by
    shapely's `orient`; other geometries and unreadable ones pass unchanged."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return geometry
    from shapely.geometry import MultiPolygon, mapping, shape
    from shapely.geometry.polygon import orient

    try:
        geom = shape(geometry)
        if isinstance(geom, MultiPolygon):
            geom = MultiPolygon([orient(part, sign=1.0) for part in geom.geoms])
        else:
            geom = orient(geom, sign=1.0)
        return mapping(geom)
    except Exception:  # a stored outline shapely cannot read is exported as stored  # noqa: BLE001
        return geometry


def write_geojson(user, kind_name: str, handle, **options) -> int:
    """Write GeoJSON to a text file handle; returns the feature count."""
    pieces = 0
    for piece in geojson_chunks(user, kind_name, **options):
        handle.write(piece)
        pieces += 1
    return pieces - 2  # the collection's opening and closing pieces


def _feature_json(feature: dict) -> str:
    """One feature as JSON text that is valid JSON and encodes as UTF-8 whatever is stored:
    NaN or infinite numbers become null (JSON has no such numbers), lone surrogates (which a
    SQLite text column can hold) become "?". Control characters are escaped by JSON itself."""
    try:
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(feature), ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _finite(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def audit_export(user, kind_name: str, *, file_format: str, rows: int, search: str = "",
                 filters: dict | None = None, ordering: str = "id", job=None, geometry_type: str = "") -> None:
    """One audit record per export, whatever the way out: who (the actor), which list, the
    search and filters as given, format, row count, whether ID numbers were masked. The
    channel (page, worker, command) is the audit context's."""
    kind = get_kind(kind_name)
    after = {"resource": kind_name, "format": file_format, "search": search, "filters": filters or {},
             "rows": rows, "id_numbers": "full" if masking.sees_full_id_numbers(user) else "masked"}
    if geometry_type:
        after["geometry_type"] = geometry_type
    if ordering and ordering != "id":
        after["ordering"] = ordering
    if job is not None:
        after["job"] = job.pk
    record_change(actor=user, action="export", object_type=kind.model._meta.label, object_id="",
                  object_repr=_("%(label)s台账") % {"label": kind.label}, after=after)
