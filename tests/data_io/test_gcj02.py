"""GCJ-02 coordinates are converted to WGS84 on import."""
import json

import pytest
from shapely.geometry import shape

from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.geojson_import import import_areas
from citysafe.registry.models import Area, Enterprise
from kernels.coordinates import gcj02_to_wgs84, geometry_gcj02_to_wgs84, wgs84_to_gcj02
from tests.data_io.conftest import workbook_with_rows
from tests.data_io.test_import_errors import good_row, valid_uscc


def test_forward_transform_matches_the_published_vector_for_beijing():
    # WGS84 (116.404, 39.915) -> GCJ-02, the test vector used across GCJ-02 libraries (e.g. hutool).
    lon, lat = wgs84_to_gcj02(116.404, 39.915)
    assert lon == pytest.approx(116.41024449916938, abs=1e-9)
    assert lat == pytest.approx(39.91640428150164, abs=1e-9)


def test_inverse_transform_recovers_the_wgs84_point_to_a_millimetre():
    gcj = wgs84_to_gcj02(103.39, 35.66)
    lon, lat = gcj02_to_wgs84(*gcj)
    assert lon == pytest.approx(103.39, abs=1e-8) and lat == pytest.approx(35.66, abs=1e-8)
    # and it is a real shift: some hundreds of metres in this county
    assert abs(gcj[0] - 103.39) > 1e-3


def test_geometry_positions_are_all_converted():
    line = {"type": "LineString", "coordinates": [[103.39, 35.66], [103.40, 35.67]]}
    converted = geometry_gcj02_to_wgs84(line)
    assert converted["coordinates"][1] == list(gcj02_to_wgs84(103.40, 35.67))


def test_import_declared_gcj02_stores_wgs84(world):
    wgs = shape(world.grid.geometry).representative_point()
    gcj_lon, gcj_lat = wgs84_to_gcj02(wgs.x, wgs.y)
    row = good_row(world, 经度=gcj_lon, 纬度=gcj_lat)
    row.pop("所属网格代码")
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [row]), gcj02=True)
    assert result.ok, result.errors
    stored = Enterprise.objects.get(uscc=valid_uscc(1))
    assert stored.lon == pytest.approx(wgs.x, abs=1e-7) and stored.lat == pytest.approx(wgs.y, abs=1e-7)
    assert stored.grid_id == world.grid.pk


def test_gcj02_workbook_with_a_text_coordinate_reports_the_cell_in_chinese(world):
    # The GeoJSON cell holds the longitude as text: the conversion leaves it to the geometry
    # check, which names the cell, instead of recursing into the string until the job dies.
    row = {"名称": "东风加油站", "类型": "加油加气站",
           "几何（GeoJSON）": '{"type": "Point", "coordinates": ["103.40", 35.66]}'}
    result = import_workbook(world.admin, "places", workbook_with_rows("places", [row]), gcj02=True)
    assert not result.ok
    errors = [(e.row, e.header, e.message) for e in result.errors]
    assert [(r, h) for r, h, _m in errors] == [(2, "几何（GeoJSON）")], errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0][2]), errors


def test_gcj02_geojson_area_with_a_text_coordinate_reports_the_feature(world):
    village = Area.objects.filter(level="village").order_by("code").first()
    feature = {"type": "Feature",
               "geometry": {"type": "Polygon", "coordinates": [[["103.40", 35.60], [103.41, 35.60], [103.41, 35.61],
                                                                [103.40, 35.60]]]},
               "properties": {"code": "62292699999901", "name": "测试网格", "level": "grid",
                              "parent_code": village.code}}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    result = import_areas(world.admin, data, gcj02=True)
    assert not result.ok
    assert [(e.row, e.header) for e in result.errors] == [(1, "geometry")]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.errors[0].message)
