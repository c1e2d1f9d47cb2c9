"""Areas and grids from GeoJSON and zipped Shapefiles: outlines checked, all or nothing."""
import io
import json
import zipfile

import shapefile
from shapely.geometry import box, mapping, shape

from citysafe.registry.io.export import geojson_chunks
from citysafe.registry.io.geojson_import import import_areas
from citysafe.registry.models import Area


def new_grid_feature(village, code="62292699999901", name="测试网格", geometry=None):
    inner = shape(village.geometry).representative_point().buffer(0.001).intersection(shape(village.geometry))
    return {"type": "Feature", "geometry": geometry or mapping(inner.envelope.intersection(shape(village.geometry))),
            "properties": {"code": code, "name": name, "level": "grid", "parent_code": village.code}}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_reimport_of_exported_areas_updates_every_area(world):
    count = Area.objects.count()
    result = import_areas(world.admin, "".join(geojson_chunks(world.admin, "areas")).encode())
    assert result.ok, result.errors[:3]
    assert (result.created, result.updated) == (0, count)
    assert Area.objects.count() == count


def test_children_listed_before_parents_still_import(world):
    village = Area.objects.filter(level="village").order_by("code").first()
    grid = new_grid_feature(village, code="62292699999902")
    new_village = {"type": "Feature", "geometry": village.geometry,
                   "properties": {"code": "622926999999", "name": "新村", "level": "村（社区）",
                                  "parent_code": village.parent.code}}
    grid["properties"]["parent_code"] = "622926999999"
    result = import_areas(world.admin, collection(grid, new_village))
    assert result.ok, result.errors
    assert Area.objects.get(code="62292699999902").parent.code == "622926999999"


def test_bad_features_store_nothing_and_are_each_reported(world):
    village = Area.objects.filter(level="village").order_by("code").first()
    good = new_grid_feature(village)
    outside = new_grid_feature(village, code="62292699999903", geometry=mapping(box(120, 30, 120.01, 30.01)))
    bowtie = new_grid_feature(village, code="62292699999904", geometry={
        "type": "Polygon", "coordinates": [[[103.40, 35.60], [103.41, 35.61], [103.41, 35.60], [103.40, 35.61],
                                            [103.40, 35.60]]]})
    orphan = new_grid_feature(village, code="62292699999905")
    orphan["properties"]["parent_code"] = "000"
    result = import_areas(world.admin, collection(good, outside, bowtie, orphan))
    assert not result.ok
    assert {(e.row, e.header) for e in result.errors} >= {(2, "geometry"), (3, "geometry"), (4, "parent_code")}
    assert not Area.objects.filter(code__startswith="622926999999").exists()
    assert result.report is not None


def test_not_a_feature_collection_is_refused(world):
    assert "FeatureCollection" in import_areas(world.admin, b'{"type": "Feature"}').file_error
    assert import_areas(world.admin, b"\x00\x01garbage").file_error


def test_zipped_shapefile_imports(world):
    village = Area.objects.filter(level="village").order_by("code").first()
    feature = new_grid_feature(village)
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding="utf-8") as writer:
        for name in ("CODE", "NAME", "LEVEL", "PARENT_COD"):  # dBase names: 10 characters at most
            writer.field(name, "C", size=40)
        writer.shape(feature["geometry"])
        props = feature["properties"]
        writer.record(props["code"], props["name"], props["level"], props["parent_code"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for ext, part in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            zipped.writestr(f"grids.{ext}", part.getvalue())
        zipped.writestr("grids.cpg", "UTF-8")
    result = import_areas(world.admin, archive.getvalue(), filename="grids.zip")
    assert result.ok, result.errors
    assert Area.objects.get(code="62292699999901").name == "测试网格"
