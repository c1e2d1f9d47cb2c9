"""Importing administrative areas and grids from GeoJSON or a zipped Shapefile, all or nothing.

Each feature carries properties code, name, level, parent_code (population optional); its
outline is checked by the area service (valid polygon, inside the county). Parents are
imported before children whatever the order in the file, and a re-import updates by code.
"""
import codecs
import io
import json
import zipfile

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from citysafe.core.audit import audit_channel, record_change
from citysafe.core.audit_models import AuditChannel
from citysafe.registry import services
from citysafe.registry.io.codes import CodeBook
from citysafe.registry.io.excel_import import CellError, ImportResult, service_errors
from citysafe.registry.io.kinds import labels, text
from citysafe.registry.io.workbook import FileProblem, check_upload, inspect_archive, max_rows
from citysafe.registry.models import Area
from kernels.coordinates import geometry_gcj02_to_wgs84

LEVEL_ORDER = {Area.Level.COUNTY: 0, Area.Level.TOWNSHIP: 1, Area.Level.VILLAGE: 2, Area.Level.GRID: 3}
FIELD_PROPERTY = {"code": "code", "name": "name", "level": "level", "parent_id": "parent_code",
                  "population": "population", "geometry": "geometry"}


def read_features(data: bytes, filename: str = "") -> list[dict]:
    """Features from a GeoJSON FeatureCollection or a zipped Shapefile (.shp/.shx/.dbf)."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        features = _shapefile_features(data)
    else:
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise FileProblem(_("不是有效的GeoJSON文件（或Shapefile压缩包）")) from None
        if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
                or not isinstance(document.get("features"), list):
            raise FileProblem(_("GeoJSON须为FeatureCollection"))
        features = document["features"]
    if len(features) > max_rows():
        raise FileProblem(_("要素过多：一次最多导入%(n)d个，请拆分为多个文件") % {"n": max_rows()})
    return features


# What a .cpg names, as Python codec names (ArcGIS writes code page numbers or "ANSI 936").
# GBK text is read as GB18030, its superset (every GBK file decodes the same under it).
CODE_PAGES = {"65001": "utf-8", "utf8": "utf-8", "936": "gb18030", "ansi 936": "gb18030", "cp936": "gb18030",
              "gbk": "gb18030", "gb2312": "gb18030", "54936": "gb18030",
              "950": "big5", "1252": "cp1252", "ansi 1252": "cp1252", "437": "cp437", "ascii": "ascii"}


def shapefile_encoding(raw: bytes) -> str | None:
    """The text encoding a .cpg names (None without one), or a FileProblem saying what is wrong."""
    try:
        name = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise FileProblem(_("Shapefile的编码文件（.cpg）内容无法识别（应为 UTF-8、GBK 等编码名称）："
                            "请删除 .cpg 文件或改为 UTF-8 后重新打包")) from None
    if not name:
        return None
    name = CODE_PAGES.get(" ".join(name.lower().split()), name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise FileProblem(_("Shapefile的编码文件（.cpg）指定了不支持的编码“%(name)s”：请改为 UTF-8 或 GBK") % {
            "name": name[:40]}) from None


def _shapefile_features(data: bytes) -> list[dict]:
    inspect_archive(data, xml=False)  # sizes and compression ratio, from the zip directory
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {name.rsplit(".", 1)[-1].lower(): name for name in archive.namelist() if "." in name}
            if not {"shp", "dbf"} <= set(members):
                raise FileProblem(_("压缩包中应包含同名的 .shp、.shx、.dbf 文件"))
            parts = {ext: io.BytesIO(archive.read(members[ext])) for ext in ("shp", "shx", "dbf") if ext in members}
            prj = archive.read(members["prj"]).decode("latin-1") if "prj" in members else ""
            raw_cpg = archive.read(members["cpg"])[:200] if "cpg" in members else b""
    except FileProblem:
        raise
    except Exception:  # a damaged member fails in zipfile/zlib in many ways
        raise FileProblem(_("压缩包已损坏或不完整，无法解压")) from None
    encoding = shapefile_encoding(raw_cpg)
    if prj.strip().upper().startswith("PROJCS"):
        raise FileProblem(_("Shapefile为投影坐标系：请先转换为经纬度（WGS84/CGCS2000）"))
    try:
        if encoding is not None:
            return _shapefile_records(parts, encoding, named=True)
        # No .cpg: Chinese desktop GIS writes the local code page (GBK), newer tools UTF-8.
        # UTF-8 rarely decodes GBK text by accident, so try it first, then GB18030.
        try:
            return _shapefile_records(parts, "utf-8", named=False)
        except _WrongEncoding:
            return _shapefile_records(parts, "gb18030", named=False)
    except FileProblem:
        raise
    except MemoryError:
        raise FileProblem(_("文件内容过大，无法处理")) from None
    except Exception:  # pyshp raises struct.error, IndexError, ShapefileException... for damaged files
        raise FileProblem(_("Shapefile文件已损坏或不完整，无法读取：请检查 .shp、.shx、.dbf 是否来自同一次导出")) from None


class _WrongEncoding(Exception):
    pass


def _shapefile_records(parts: dict, encoding: str, *, named: bool) -> list[dict]:
    import shapefile  # pyshp

    for part in parts.values():
        part.seek(0)
    features = []
    try:
        reader = shapefile.Reader(shp=parts["shp"], shx=parts.get("shx"), dbf=parts["dbf"], encoding=encoding)
        if len(reader) > max_rows():
            raise FileProblem(_("要素过多：一次最多导入%(n)d个，请拆分为多个文件") % {"n": max_rows()})
        for item in reader.iterShapeRecords():
            features.append({"type": "Feature", "geometry": item.shape.__geo_interface__,
                             "properties": item.record.as_dict()})
            if len(features) > max_rows():
                raise FileProblem(_("要素过多：一次最多导入%(n)d个，请拆分为多个文件") % {"n": max_rows()})
    except FileProblem:
        raise
    except Exception as exc:
        if not _is_decoding(exc):
            raise
        if not named and encoding == "utf-8":
            raise _WrongEncoding from None
        if named:
            raise FileProblem(
                _("Shapefile属性表（.dbf）的文字不是.cpg文件所写的“%(encoding)s”编码：请在 .cpg 文件中写明实际编码"
                  "（如 GBK 或 UTF-8）") % {"encoding": encoding}) from None
        raise FileProblem(_("Shapefile属性表（.dbf）的文字编码无法识别（已尝试 UTF-8 和 GBK）：请附上写明编码的 "
                            ".cpg 文件")) from None
    return features


def _is_decoding(exc: Exception) -> bool:
    """Whether pyshp failed on the text encoding: record values raise UnicodeDecodeError, field
    names a dbfFileException saying "Could not decode" (pyshp 3 has no subclass for it)."""
    import shapefile

    return isinstance(exc, UnicodeError) or (
        isinstance(exc, shapefile.ShapefileException) and "decode" in str(exc).lower())


# dBase field names hold 10 characters, so Shapefiles arrive with "parent_cod" and the like.
# Chinese GIS users name the fields in Chinese: those are accepted beside the English names.
PROPERTY_ALIASES = {"parent_cod": "parent_code", "parent": "parent_code", "populatio": "population",
                    "populati": "population", "pop": "population",
                    "代码": "code", "区划代码": "code", "编码": "code", "网格代码": "code",
                    "名称": "name", "区划名称": "name", "网格名称": "name",
                    "级别": "level", "层级": "level", "区划级别": "level",
                    "上级代码": "parent_code", "上级代": "parent_code", "上级": "parent_code", "上级区划代码": "parent_code", "上级编码": "parent_code",
                    "人口": "population", "人口数": "population"}
# (UTF-8 takes 3 bytes a character, so a 10-byte dBase name keeps only "上级代" of "上级代码".)
FIELD_HELP = {"code": "code/代码", "name": "name/名称", "level": "level/级别", "parent_code": "parent_code/上级代码",
              "population": "population/人口"}


def _properties(feature) -> dict:
    raw = (feature or {}).get("properties") or {}
    props = {}
    for key, value in raw.items():
        name = str(key).strip().lower()
        props[PROPERTY_ALIASES.get(name, name)] = value
    return props


def _missing_fields(features: list) -> str:
    """A required field no feature carries (usually a field name we do not know), explained
    once for the file rather than as "此字段为必填项" on every feature."""
    names: set[str] = set()
    for feature in features[:1000]:
        names.update(_properties(feature))
    absent = [key for key in ("code", "name", "level") if key not in names]
    if not absent:
        return ""
    raw: list[str] = []
    for feature in features[:1]:
        raw = [str(key) for key in ((feature or {}).get("properties") or {})]
    return _("要素属性中缺少字段：%(missing)s（可用的字段名：%(help)s）；文件中的字段为：%(found)s") % {
        "missing": "、".join(FIELD_HELP[key] for key in absent),
        "help": "、".join(FIELD_HELP.values()), "found": "、".join(raw[:20]) or _("（无）")}


def _level(value) -> str:
    raw = text(value)
    return labels(Area.Level.choices).get(raw, raw)


def import_areas(actor, data: bytes, *, gcj02: bool = False, filename: str = "", progress=None) -> ImportResult:
    result = ImportResult(kind="areas")
    try:
        check_upload(data, "")
        features = read_features(data, filename)
    except FileProblem as problem:
        result.file_error = str(problem)
        return result
    if not features:
        result.file_error = _("文件中没有要素")
        return result
    missing = _missing_fields(features)
    if missing:
        result.file_error = missing
        return result
    numbered = list(enumerate(features, start=1))
    numbered.sort(key=lambda item: LEVEL_ORDER.get(_level(_properties(item[1]).get("level")), 9))
    book = CodeBook()
    seen: dict[str, int] = {}
    with audit_channel(AuditChannel.IMPORT), transaction.atomic():
        for done, (number, feature) in enumerate(numbered, start=1):
            _import_feature(actor, number, feature, book, seen, gcj02, result)
            if progress is not None and done % 50 == 0:
                progress(done, len(numbered), len(result.errors))
        result.total = len(numbered)
        if result.errors:
            transaction.set_rollback(True)
        else:
            record_change(actor=actor, action="import", object_type="registry.Area", object_id="",
                          object_repr=filename[:255] or "行政区域",
                          after={"total": result.total, "created": result.created, "updated": result.updated},
                          note=filename)
    if progress is not None:
        progress(len(numbered), len(numbered), len(result.errors))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        result.report = errors_workbook(result.errors, _("要素序号"))
    return result


def _import_feature(actor, number, feature, book, seen, gcj02, result) -> None:
    props = _properties(feature)
    code = text(props.get("code"))
    errors: list[tuple[str, str]] = []
    data = {"code": code, "name": text(props.get("name")), "level": _level(props.get("level"))}
    if props.get("population") not in (None, ""):
        data["population"] = props.get("population")
    parent_code = text(props.get("parent_code"))
    if parent_code:
        parent = book.area_id(parent_code)
        if parent is None:
            errors.append(("parent_code", _("上级区划代码“%(code)s”不存在") % {"code": parent_code}))
        else:
            data["parent_id"] = parent
    geometry = (feature or {}).get("geometry")
    if geometry is not None:
        data["geometry"] = geometry_gcj02_to_wgs84(geometry) if gcj02 else geometry
    if code in seen:
        errors.append(("code", _("与第%(n)d个要素重复") % {"n": seen[code]}))
    elif code:
        seen[code] = number
    pk = book.area_id(code) if code else None
    instance = None
    try:
        if pk is None:
            instance = services.create_area(actor, data)
        else:
            instance = services.update_area(actor, pk, data)
    except (ValidationError, PermissionDenied, ObjectDoesNotExist) as exc:
        reported = {name for name, _message in errors}
        for name, message in service_errors(exc, _("行政区域")):
            prop = FIELD_PROPERTY.get(name, name)
            if prop not in reported:
                errors.append((prop, message))
    result.errors.extend(CellError(number, prop, message) for prop, message in errors)
    if instance is not None and not errors:
        book.remember_area(instance)
        if pk is None:
            result.created += 1
        else:
            result.updated += 1


def errors_workbook(errors: list[CellError], row_label: str) -> bytes:
    """For files that are not workbooks: one row per error (where, which field, what is wrong)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "错误说明"
    sheet.append([row_label, "字段", "错误说明"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for error in errors:
        sheet.append([error.row, error.header, error.message])
    sheet.column_dimensions["C"].width = 60
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
