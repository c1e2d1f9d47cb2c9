"""Shapefiles as Chinese desktop GIS writes them: Chinese field names, GBK text with or without
a .cpg (any of the ways ArcGIS and QGIS name the code page), and every failure in Chinese."""
import io
import re
import zipfile

import pytest
import shapefile

from citysafe.registry.io.geojson_import import import_areas
from citysafe.registry.models import Area
from tests.data_io.test_geojson_import import new_grid_feature

CHINESE_FIELDS = ("代码", "名称", "级别", "上级代码")


def zipped_shapefile(village, *, encoding: str, cpg: str | None, fields=CHINESE_FIELDS, code="62292699999911",
                     name="城关镇东街网格") -> bytes:
    feature = new_grid_feature(village, code=code, name=name)
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding=encoding) as writer:
        for field in fields:
            writer.field(field, "C", size=40)
        writer.shape(feature["geometry"])
        props = feature["properties"]
        writer.record(props["code"], props["name"], "网格", props["parent_code"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for ext, part in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            zipped.writestr(f"网格.{ext}", part.getvalue())
        if cpg is not None:
            zipped.writestr("网格.cpg", cpg)
    return archive.getvalue()


@pytest.mark.parametrize("cpg", [None, "ANSI 936", "936", "GBK", "GB18030"])
def test_gbk_shapefile_with_chinese_field_names_imports(world, cpg):
    village = Area.objects.filter(level="village").order_by("code").first()
    result = import_areas(world.admin, zipped_shapefile(village, encoding="gbk", cpg=cpg), filename="网格.zip")
    assert result.ok, (result.file_error, result.errors)
    assert Area.objects.get(code="62292699999911").name == "城关镇东街网格"


def test_utf8_shapefile_without_cpg_imports(world):
    village = Area.objects.filter(level="village").order_by("code").first()
    result = import_areas(world.admin, zipped_shapefile(village, encoding="utf-8", cpg=None), filename="网格.zip")
    assert result.ok, (result.file_error, result.errors)
    assert Area.objects.get(code="62292699999911").name == "城关镇东街网格"


def test_unknown_field_names_are_explained_once_naming_the_accepted_names(world):
    village = Area.objects.filter(level="village").order_by("code").first()
    data = zipped_shapefile(village, encoding="gbk", cpg="GBK", fields=("编号X", "名称", "级别", "上级代码"))
    result = import_areas(world.admin, data, filename="网格.zip")
    assert not result.ok
    assert "code/代码" in result.file_error and "编号X" in result.file_error


def test_wrong_cpg_and_damaged_files_are_explained_in_chinese(world):
    village = Area.objects.filter(level="village").order_by("code").first()
    wrong = import_areas(world.admin, zipped_shapefile(village, encoding="gbk", cpg="UTF-8"), filename="a.zip")
    assert "编码" in wrong.file_error
    damaged = bytearray(zipped_shapefile(village, encoding="utf-8", cpg="UTF-8"))
    archive = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(damaged))) as source, zipfile.ZipFile(archive, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, content[:40] if info.filename.endswith(".shp") else content)
    broken = import_areas(world.admin, archive.getvalue(), filename="b.zip")
    for message in (wrong.file_error, broken.file_error):
        assert message and not re.search(r"[A-Za-z]{4,}", message.replace("Shapefile", "").replace(
            "UTF", "").replace("GBK", "")), message
