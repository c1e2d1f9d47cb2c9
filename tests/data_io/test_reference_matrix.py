"""The reference matrix through workbook imports: every reference column of the person, place,
enterprise and organisation workbooks, every role that may write the record — re-importing the
role's own ledger row with the reference pointed outside its scope (or at a record nobody may
choose) is refused on that column and stores nothing. (Areas are imported from GeoJSON /
Shapefile; their parent goes through the same service rule, covered by the API matrix.)"""
import pytest

from citysafe.accounts.models import Organisation
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Area, Enterprise, Industry, Person
from tests.data_io.conftest import ledger_record, workbook_with_rows
from tests.security.reference_cases import CASES, case_id, current_value, inside_record, outside_target

COLUMNS = {
    ("persons", "enterprise_id"): "所在企业统一社会信用代码", ("persons", "organisation_id"): "所在单位编码",
    ("persons", "township_id"): "所属乡镇代码", ("persons", "grid_id"): "所属网格代码",
    ("places", "owner_enterprise_id"): "产权/使用单位统一社会信用代码", ("places", "industry_id"): "行业代码",
    ("places", "township_id"): "所属乡镇代码", ("places", "grid_id"): "所属网格代码",
    ("places", "supervising_department_id"): "行业主管部门编码", ("places", "responsible_person_ids"): "责任人",
    ("enterprises", "industry_id"): "行业代码", ("enterprises", "township_id"): "所属乡镇代码",
    ("enterprises", "grid_id"): "所属网格代码", ("enterprises", "supervising_department_id"): "行业主管部门编码",
    ("enterprises", "safety_officer_id"): "安全管理负责人",
    ("organisations", "area_id"): "所辖区域代码", ("organisations", "first_responsible_id"): "第一责任人",
    ("organisations", "direct_responsible_id"): "直接责任人", ("organisations", "industry_ids"): "监管行业代码",
}
IMPORT_CASES = [c for c in CASES if (c[0], c[1]) in COLUMNS]
TARGETS = {"enterprise_id": Enterprise, "owner_enterprise_id": Enterprise, "organisation_id": Organisation,
           "supervising_department_id": Organisation, "township_id": Area, "grid_id": Area, "area_id": Area,
           "industry_id": Industry, "industry_ids": Industry}


def cell_for(field: str, pk: int) -> str:
    """The target as a workbook names it: USCC, code, or "姓名/身份证号码"."""
    model = TARGETS.get(field, Person)
    target = model.objects.get(pk=pk)
    if model is Enterprise:
        return target.uscc
    if model is Person:
        return f"{target.name}/{target.id_number or target.phone}"
    return target.code


def match_for(resource: str, record) -> dict:
    if resource == "persons":
        return {"姓名": record.name, "电话": record.phone}
    if resource == "places":
        return {"名称": record.name, "所属乡镇代码": record.township.code, "类型": record.get_place_type_display()}
    if resource == "enterprises":
        return {"统一社会信用代码": record.uscc}
    return {"编码": record.code}


@pytest.mark.parametrize("resource,field,role", IMPORT_CASES, ids=[case_id(c) for c in IMPORT_CASES])
def test_role_cannot_point_a_reference_outside_its_scope_through_an_import(world, resource, field, role):
    user = world.role_users()[role]
    record = inside_record(world, role, resource)
    target = outside_target(world, role, field)
    before = current_value(record, field)
    row = ledger_record(user, resource, match_for(resource, record))
    header = COLUMNS[resource, field]
    row[header] = cell_for(field, target)

    result = import_workbook(user, resource, workbook_with_rows(resource, [row]), bulk=False)

    assert not result.ok
    assert header in {e.header for e in result.errors}, result.errors
    assert current_value(record, field) == before


@pytest.mark.parametrize("field", ["township_id", "grid_id", "supervising_department_id", "safety_officer_id"])
@pytest.mark.parametrize("role", ["department", "township"])
def test_bulk_enterprise_import_checks_references_too(world, role, field):
    user = world.role_users()[role]
    record = inside_record(world, role, "enterprises")
    target = outside_target(world, role, field)
    before = current_value(record, field)
    row = ledger_record(user, "enterprises", {"统一社会信用代码": record.uscc})
    header = COLUMNS["enterprises", field]
    row[header] = cell_for(field, target)

    result = import_workbook(user, "enterprises", workbook_with_rows("enterprises", [row]), bulk=True)

    assert not result.ok
    assert header in {e.header for e in result.errors}, result.errors
    assert current_value(record, field) == before


def test_area_import_cannot_hang_an_area_under_an_archived_parent(world):
    from citysafe.registry import services
    from citysafe.registry.io.geojson_import import import_areas
    from tests.data_io.test_geojson_import import collection, new_grid_feature

    village = Area.objects.filter(level="village", archived_at__isnull=True).order_by("code").first()
    services.archive_record(world.admin, Area, village.pk)

    result = import_areas(world.admin, collection(new_grid_feature(village, code="62292699999977")))

    assert [e.header for e in result.errors] == ["parent_code"]
    assert not Area.objects.filter(code="62292699999977").exists()
