"""Importing underground lines / utility tunnels from GeoJSON or a zipped Shapefile, with a
column mapping, through the project's import machinery — nothing here is a second importer:

- reading: registry.io.geojson_import.read_features (GeoJSON, or pyshp over a zip: size and
  compression limits, .cpg / GBK / UTF-8 text, damaged files, the row limit);
- each feature becomes a row of the kind's workbook columns (underground_kind: the mapping says
  which property fills which column; the geometry fills 走向), then registry.io.excel_import's
  two phases (check_rows + RowWriter: every row through the kind's service, all or nothing, a
  report naming the feature and the field of every error), as for an Excel upload.

Projection: a Shapefile must carry its .prj (without one its coordinates cannot be trusted:
refused). A geographic .prj (WGS84 / CGCS2000) is read as it is; a projected one (e.g. CGCS2000
3-degree Gauss-Kruger, which survey offices deliver) is reprojected to lon/lat with pyproj; a
.prj pyproj cannot read is refused. GeoJSON is lon/lat (RFC 7946); an old-style `crs` member
naming another system is reprojected the same way."""
import contextlib
import io
import json
import zipfile
from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping as to_geojson
from shapely.geometry import shape

from citysafe.core.audit import audit_channel, record_change
from citysafe.core.audit_models import AuditChannel
from citysafe.registry.io.codes import CodeBook
from citysafe.registry.io.excel_import import ImportResult, RowWriter, check_rows
from citysafe.registry.io.geojson_import import errors_workbook, read_features
from citysafe.registry.io.workbook import FileProblem, check_upload, inspect_archive
from citysafe.siting.underground_kind import GEOMETRY_HEADER, LINES, TUNNELS

# The workbook kinds the record kinds carry (core.kinds attaches the record kind whose services save a row).
KINDS = {k.io.name: k.io for k in (LINES, TUNNELS)}
GEOGRAPHIC = {4326, 4490, 4610, 4214}  # WGS84, CGCS2000 and the older Chinese datums: read as lon/lat
# Property names survey and GIS files commonly use, beside the column headers and field keys.
ALIASES = {
    "code": ("编号", "管线编号", "管线点号", "id", "code", "gxbh", "bh"), "name": ("名称", "name", "mc", "道路名称"),
    "line_kind": ("管线类别", "类别", "管类", "kind", "type", "gxlb", "lb"), "material": ("材质", "material", "cz"),
    "diameter_mm": ("管径", "管径mm", "管径（毫米）", "diameter", "dn", "gj"),
    "pressure_class": ("压力", "压力级制", "pressure", "yl"), "depth_m": ("埋深", "埋深m", "depth", "ms"),
    "owner_enterprise_id": ("权属单位", "权属", "owner", "qsdw"), "year_laid": ("建设年份", "敷设年份", "年份", "year", "msnd"),
    "status": ("使用状态", "状态", "status", "zt"), "data_source": ("数据来源", "来源", "source", "sjly"),
    "compartments": ("舱室", "入廊管线", "compartments"), "township_id": ("乡镇代码",), "grid_id": ("网格代码",),
}


@dataclass
class Source:
    features: list[dict]
    columns: list[str]      # property names found in the file (the mapping's choices)


def _crs_transform(crs: pyproj.CRS | None):
    if crs is None or (crs.is_geographic and (crs.to_epsg() or 4326) in GEOGRAPHIC):
        return None
    transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def project(xy):
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return project


def _read_prj(data: bytes) -> pyproj.CRS:
    inspect_archive(data, xml=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            prj = next((n for n in archive.namelist() if n.lower().endswith(".prj")), None)
            text = archive.read(prj)[:20000].decode("latin-1") if prj else ""
    except Exception:  # a damaged member fails in zipfile/zlib in many ways
        raise FileProblem(_("压缩包已损坏或不完整，无法解压")) from None
    if not text.strip():
        raise FileProblem(_("Shapefile缺少投影文件（.prj）：无法确定坐标系，请附上 .prj 文件后重新打包"))
    try:
        return pyproj.CRS.from_wkt(text)
    except pyproj.exceptions.CRSError:
        raise FileProblem(_("Shapefile的投影文件（.prj）无法识别：请转换为WGS84或CGCS2000经纬度后重新导出")) from None


def _without_prj(data: bytes) -> bytes:
    """The archive without its .prj, for the registry reader (which reads lon/lat only and refuses
    a projected .prj); the projection has been read here and is applied after."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if not item.filename.lower().endswith(".prj"):
                target.writestr(item.filename, source.read(item))
    return out.getvalue()


def _geojson_crs(data: bytes) -> pyproj.CRS | None:
    if b'"crs"' not in data[:4096] and b'"crs"' not in data:
        return None
    try:
        name = json.loads(data.decode("utf-8-sig")).get("crs", {}).get("properties", {}).get("name", "")
        return pyproj.CRS.from_user_input(name) if name else None
    except (ValueError, AttributeError, pyproj.exceptions.CRSError):
        raise FileProblem(_("GeoJSON的坐标系（crs）无法识别：请使用WGS84经纬度（RFC 7946）")) from None


def read_source(data: bytes) -> Source:
    """The features (in lon/lat) and their property names; FileProblem for a file refused whole."""
    check_upload(data, ".zip" if zipfile.is_zipfile(io.BytesIO(data)) else "")
    if zipfile.is_zipfile(io.BytesIO(data)):
        crs = _read_prj(data)
        features = read_features(_without_prj(data))
    else:
        crs = _geojson_crs(data)
        features = read_features(data)
    project = _crs_transform(crs)
    if project is not None:
        for feature in features:
            geometry = (feature or {}).get("geometry")
            if isinstance(geometry, dict) and geometry.get("coordinates") is not None:
                # A geometry shapely cannot read is left as it is: the service names it for this feature.
                with contextlib.suppress(Exception):
                    feature["geometry"] = to_geojson(shapely.transform(shape(geometry), project))
    columns: list[str] = []
    for feature in features[:1000]:
        for key in ((feature or {}).get("properties") or {}):
            if str(key) not in columns:
                columns.append(str(key))
    return Source(features, columns)


def guess_mapping(kind_name: str, columns: list[str]) -> dict[str, str]:
    """field key → property name, by the column header, the key or a common alias (case-insensitive)."""
    kind, lower = KINDS[kind_name], {c.strip().lower(): c for c in columns}
    found = {}
    for column in kind.import_columns:
        if column.key == "geometry":
            continue
        for name in (column.header, column.key, *ALIASES.get(column.key, ())):
            if name.lower() in lower:
                found[column.key] = lower[name.lower()]
                break
    return found


def check_mapping(kind_name: str, mapping: dict[str, str], columns: list[str]) -> None:
    kind = KINDS[kind_name]
    keys = {c.key for c in kind.import_columns if c.key != "geometry"}
    for key, prop in mapping.items():
        if key not in keys:
            raise FileProblem(_("列映射：未知的字段“%(k)s”") % {"k": str(key)[:40]})
        if prop and prop not in columns:
            raise FileProblem(_("列映射：%(field)s对应的“%(p)s”在文件中不存在（文件中的字段为：%(cols)s）") % {
                "field": kind.header(key), "p": str(prop)[:60], "cols": "、".join(columns[:30]) or _("（无）")})
    missing = [kind.header(c.key) for c in kind.import_columns if c.required and c.key != "geometry"
               and not mapping.get(c.key)]
    if missing:
        raise FileProblem(_("列映射：必填字段%(f)s未对应文件中的字段") % {"f": "、".join(missing)})


def _rows(source: Source, kind, mapping: dict[str, str]):
    headers = {key: kind.header(key) for key in mapping}
    for number, feature in enumerate(source.features, start=1):
        props = (feature or {}).get("properties") or {}
        cells = {headers[key]: props.get(prop) for key, prop in mapping.items() if prop}
        cells[GEOMETRY_HEADER] = (feature or {}).get("geometry") or ""
        yield number, cells


def import_lines(actor, kind_name: str, data: bytes, mapping: dict[str, str] | None = None, *,
                 filename: str = "", progress=None) -> ImportResult:
    """All or nothing, as an Excel import: every feature through the kind's service; a report
    (feature number, field, message) when any is refused."""
    kind = KINDS[kind_name]
    result = ImportResult(kind=kind.name)
    try:
        source = read_source(data)
        if not source.features:
            raise FileProblem(_("文件中没有要素"))
        mapping = {k: v for k, v in (mapping if mapping is not None else guess_mapping(kind_name, source.columns))
                   .items() if v}
        check_mapping(kind_name, mapping, source.columns)
        book = CodeBook(actor)
        writer = RowWriter(actor, kind, book, result, progress=progress)
        with audit_channel(AuditChannel.IMPORT):
            result.total = check_rows(kind, _rows(source, kind, mapping), writer, book, total=len(source.features),
                                      progress=progress)
            writer.finish_checks()
    except FileProblem as problem:
        result.file_error, result.errors = str(problem), []
        return result
    if result.ok:
        with audit_channel(AuditChannel.IMPORT), transaction.atomic():
            writer.write()
            if not result.ok:
                transaction.set_rollback(True)
            else:
                record_change(actor=actor, action="import", object_type=kind.model._meta.label, object_id="",
                              object_repr=filename[:255] or kind.label, note=filename,
                              after={"total": result.total, "created": result.created, "updated": result.updated,
                                     "mapping": mapping})
        writer.after_write()
    if result.errors:
        result.created = result.updated = 0
        result.errors.sort(key=lambda e: e.row)
        result.report = errors_workbook(result.errors, _("要素序号"))
    return result
