"""Importing lines from GeoJSON and a zipped Shapefile (built here with pyshp) through the
project's import machinery: column mapping, projection, all or nothing with a row/field report."""
import io
import json
import zipfile

import pyproj
import pytest
import shapefile  # pyshp

from citysafe.siting.line_import import guess_mapping, import_lines, read_source
from citysafe.siting.models import UndergroundLine

WGS84_PRJ = pyproj.CRS("EPSG:4326").to_wkt(pyproj.enums.WktVersion.WKT1_ESRI)
GK_102 = pyproj.CRS("EPSG:4543")  # CGCS2000 / 3-degree Gauss-Kruger CM 102E, as survey offices deliver


def lines(sw, n=3):
    """n short east-west lines north of the origin, as lon/lat coordinate lists."""
    out = []
    for i in range(n):
        start = sw.at(20 * (i + 1), 0.0)
        out.append([list(start), list(sw.at(50, 90.0, start))])
    return out


def geojson(features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def feature(coords, **props):
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": props}


def zipped_shapefile(records, prj: str | None = WGS84_PRJ, transform=None) -> bytes:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYLINE, encoding="utf-8") as writer:
        for name in ("GXBH", "LB", "CZ", "GJ", "MS", "QSDW"):
            writer.field(name, "C" if name not in ("GJ", "MS") else "N", size=60, decimal=2 if name == "MS" else 0)
        for coords, values in records:
            writer.line([[transform(*c) if transform else c for c in coords]])
            writer.record(*values)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for ext, part in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            archive.writestr(f"pipes.{ext}", part.getvalue())
        archive.writestr("pipes.cpg", "UTF-8")
        if prj is not None:
            archive.writestr("pipes.prj", prj)
    return out.getvalue()


def test_geojson_with_chinese_properties_is_mapped_and_imported(sw):
    coords = lines(sw, 2)
    data = geojson([feature(coords[0], 管线编号="GJ-1", 管线类别="燃气", 材质="PE", 管径=160, 埋深=1.2, 压力="中压A",
                            权属单位=sw.world.enterprise_in_a.uscc, 数据来源="普查"),
                    feature(coords[1], 管线编号="GJ-2", 管线类别="给水", 材质="球墨铸铁", 管径=300, 埋深=1.8)])
    mapping = guess_mapping("underground-lines", read_source(data).columns)
    assert mapping["code"] == "管线编号" and mapping["diameter_mm"] == "管径" and mapping["line_kind"] == "管线类别"
    result = import_lines(sw.world.township_officer, "underground-lines", data, mapping, filename="pipes.geojson")
    assert result.ok, (result.file_error, result.errors)
    assert result.created == 2
    gas = UndergroundLine.objects.get(code="GJ-1")
    assert (gas.line_kind, gas.pressure_class, gas.diameter_mm, gas.depth_m) == ("gas", "medium_a", 160, 1.2)
    assert gas.owner_enterprise_id == sw.world.enterprise_in_a.pk and gas.township_id == sw.world.township_a.pk
    again = import_lines(sw.world.township_officer, "underground-lines", data, mapping)
    assert again.ok and again.updated == 2 and again.created == 0  # the code is the key


def test_a_bad_feature_is_reported_by_number_and_field_and_nothing_is_stored(sw):
    coords = lines(sw, 3)
    data = geojson([feature(coords[0], code="B-1", kind="燃气"), feature(coords[1], code="B-2", kind="地铁"),
                    feature(coords[2], code="B-3", kind="给水", dn="大")])
    result = import_lines(sw.world.admin, "underground-lines", data, {"code": "code", "line_kind": "kind",
                                                                      "diameter_mm": "dn"})
    assert not result.ok and result.report is not None
    assert {(e.row, e.header) for e in result.errors} == {(2, "管线类别"), (3, "管径（毫米）")}
    assert not UndergroundLine.objects.filter(code__startswith="B-").exists()


def test_an_unknown_column_in_the_mapping_or_a_missing_required_one_refuses_the_file(sw):
    data = geojson([feature(lines(sw, 1)[0], code="M-1", kind="燃气")])
    unknown = import_lines(sw.world.admin, "underground-lines", data, {"code": "code", "line_kind": "类别名"})
    assert "类别名" in unknown.file_error and "code" in unknown.file_error
    missing = import_lines(sw.world.admin, "underground-lines", data, {"code": "code"})
    assert "管线类别" in missing.file_error
    assert not UndergroundLine.objects.filter(code="M-1").exists()


def test_a_zipped_shapefile_in_wgs84_is_imported_with_its_short_field_names(sw):
    coords = lines(sw, 2)
    data = zipped_shapefile([(coords[0], ("SHP-1", "电力", "铜", 0, 0.8, "")),
                             (coords[1], ("SHP-2", "通信", "PVC", 110, 0.7, ""))])
    result = import_lines(sw.world.admin, "underground-lines", data)  # the mapping guessed: GXBH, LB, CZ, GJ, MS
    assert result.ok, (result.file_error, result.errors)
    assert dict(UndergroundLine.objects.filter(code__startswith="SHP-").values_list("code", "line_kind")) == {
        "SHP-1": "power", "SHP-2": "telecom"}


def test_a_projected_shapefile_is_reprojected_to_lon_lat(sw):
    coords = lines(sw, 1)
    to_gk = pyproj.Transformer.from_crs("EPSG:4326", GK_102, always_xy=True)
    data = zipped_shapefile([(coords[0], ("GK-1", "热力", "钢", 500, 2.0, ""))],
                            prj=GK_102.to_wkt(pyproj.enums.WktVersion.WKT1_ESRI), transform=to_gk.transform)
    result = import_lines(sw.world.admin, "underground-lines", data)
    assert result.ok, (result.file_error, result.errors)
    stored = UndergroundLine.objects.get(code="GK-1").geometry["coordinates"]
    assert stored == [pytest.approx(c, abs=1e-7) for c in coords[0]]


def test_a_shapefile_without_a_projection_or_with_an_unreadable_one_is_refused(sw):
    coords = lines(sw, 1)
    without = import_lines(sw.world.admin, "underground-lines", zipped_shapefile([(coords[0], ("N-1", "电力", "", 0, 0, ""))],
                                                                                prj=None))
    assert ".prj" in without.file_error
    garbled = import_lines(sw.world.admin, "underground-lines",
                           zipped_shapefile([(coords[0], ("N-2", "电力", "", 0, 0, ""))], prj="PROJCS[nonsense"))
    assert ".prj" in garbled.file_error
    assert not UndergroundLine.objects.filter(code__startswith="N-").exists()


def test_the_excel_ledger_of_lines_imports_back_through_io(sw):
    from citysafe.registry.io.excel_import import import_workbook
    from citysafe.registry.io.export import write_ledger

    data = geojson([feature(lines(sw, 1)[0], code="XL-1", kind="燃气", p="中压B", dn=110,
                            owner=sw.world.enterprise_in_a.name)])
    assert import_lines(sw.world.admin, "underground-lines", data, {"code": "code", "line_kind": "kind",
                                                                    "pressure_class": "p", "diameter_mm": "dn",
                                                                    "owner_enterprise_id": "owner"}).ok
    ledger = io.BytesIO()
    write_ledger(sw.world.admin, "underground-lines", ledger, search="XL-1")
    UndergroundLine.objects.filter(code="XL-1").update(diameter_mm=999)
    result = import_workbook(sw.world.admin, "underground-lines", ledger.getvalue())
    assert result.ok and result.updated == 1, (result.file_error, result.errors)
    line = UndergroundLine.objects.get(code="XL-1")
    assert (line.diameter_mm, line.pressure_class, line.owner_enterprise_id) == (110, "medium_b", sw.world.enterprise_in_a.pk)
