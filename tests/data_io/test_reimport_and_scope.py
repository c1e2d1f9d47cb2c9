"""Re-import updates by natural key; imports and exports stay inside the user's data scope."""
from shapely.geometry import shape

from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Area, Enterprise, Person, Place
from tests.data_io.conftest import ledger_bytes, ledger_rows, workbook_with_rows
from tests.data_io.test_import_errors import good_row, valid_uscc


def test_reimport_of_same_file_updates_instead_of_duplicating(world):
    data = workbook_with_rows("enterprises", [good_row(world)])
    first = import_workbook(world.admin, "enterprises", data)
    assert (first.created, first.updated) == (1, 0)
    changed = workbook_with_rows("enterprises", [good_row(world, 企业名称="东乡县测试建材有限公司（更名）")])
    second = import_workbook(world.admin, "enterprises", changed)
    assert (second.created, second.updated) == (0, 1)
    assert Enterprise.objects.filter(uscc=valid_uscc(1)).count() == 1
    assert Enterprise.objects.get(uscc=valid_uscc(1)).name.endswith("（更名）")


def test_reimport_of_persons_and_places_ledgers_changes_nothing_in_count(world):
    persons, places = Person.objects.count(), Place.objects.count()
    for kind in ("persons", "places"):
        result = import_workbook(world.admin, kind, ledger_bytes(world.admin, kind))
        assert result.ok and result.created == 0, (kind, result.errors[:3])
    assert (Person.objects.count(), Place.objects.count()) == (persons, places)


def test_township_officers_export_holds_only_its_township(world):
    rows = ledger_rows(ledger_bytes(world.township_officer, "enterprises"))
    header, data = rows[0], rows[1:]
    township_col = header.index("所属乡镇代码")
    assert data
    assert {row[township_col] for row in data} == {world.township_a.code}
    assert len(data) == Enterprise.objects.filter(township=world.township_a).count()


def test_export_applies_the_list_filters(world):
    rows = ledger_rows(ledger_bytes(world.admin, "places", filters={"place_type": "school"}))
    assert len(rows) - 1 == Place.objects.filter(place_type="school").count()
    assert {row[1] for row in rows[1:]} <= {"学校"}


def test_township_officer_cannot_import_into_another_township(world):
    grid_b = Area.objects.filter(level="grid", township=world.township_b).order_by("code").first()
    point = shape(grid_b.geometry).representative_point()
    row = good_row(world, 所属网格代码=grid_b.code, 经度=point.x, 纬度=point.y)
    for bulk in (False, True):
        result = import_workbook(world.township_officer, "enterprises", workbook_with_rows("enterprises", [row]),
                                 bulk=bulk)
        assert not result.ok
        assert any("数据范围" in e.message for e in result.errors), result.errors
        assert not Enterprise.objects.filter(uscc=valid_uscc(1)).exists()


def test_township_officer_cannot_update_another_townships_enterprise_by_reimport(world):
    other = world.enterprise_in_b
    rows = [r for r in ledger_rows(ledger_bytes(world.admin, "enterprises")) if r[0] in ("统一社会信用代码", other.uscc)]
    header, row = rows
    record = dict(zip(header, row, strict=True))
    record.pop("经营状态")
    record["企业名称"] = "改名企图"
    result = import_workbook(world.township_officer, "enterprises", workbook_with_rows("enterprises", [record]))
    assert not result.ok
    assert Enterprise.objects.get(pk=other.pk).name != "改名企图"


def test_out_of_area_import_row_names_the_officers_township_on_both_paths(world):
    # The same words as a page save (core.records.OutOfScope), on the same cell, whichever path runs.
    grid_b = Area.objects.filter(level="grid", township=world.township_b).order_by("code").first()
    point = shape(grid_b.geometry).representative_point()
    row = good_row(world, 经度=point.x, 纬度=point.y)
    row.pop("所属网格代码")  # placed from the coordinates: in the other township
    expected = f"保存后该记录将位于您的管辖范围（{world.township_a.name}）之外：请检查位置和所属区域"
    reports = {}
    for bulk in (False, True):
        result = import_workbook(world.township_officer, "enterprises", workbook_with_rows("enterprises", [row]),
                                 bulk=bulk)
        reports[bulk] = [(e.row, e.header, e.message) for e in result.errors]
    assert reports[True] == reports[False]
    assert [m for _r, _h, m in reports[True]] == [expected], reports
