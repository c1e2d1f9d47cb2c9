"""The bulk enterprise import and the per-row service path place an enterprise by one rule
(services.placement): the same row lands in the same township, village and grid either way."""
import pytest
from django.db.models import Count
from django.utils import timezone
from shapely.geometry import shape

from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Area, Enterprise
from tests.data_io.conftest import ledger_record, workbook_with_rows
from tests.data_io.test_import_errors import good_row, valid_uscc

PLACEMENT = ("township_id", "village_id", "grid_id")


def placed(uscc: str) -> tuple:
    return Enterprise.objects.filter(uscc=uscc).values_list(*PLACEMENT).get()


def import_one(world, row: dict, bulk: bool) -> None:
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [row]), bulk=bulk)
    assert result.ok, [(e.header, e.message) for e in result.errors]


def two_enterprises_in_one_grid() -> list[Enterprise]:
    grid_id = (Enterprise.objects.filter(village__isnull=False, archived_at__isnull=True).values("grid_id")
               .annotate(n=Count("id")).filter(n__gte=2).order_by("grid_id")[0]["grid_id"])
    return list(Enterprise.objects.filter(grid_id=grid_id).order_by("id")[:2])


def test_bulk_and_row_imports_place_an_enterprise_alike_when_its_grid_is_gone(world):
    """Re-imported at its old location after its grid was archived, an enterprise falls back to
    the township that holds the point, and keeps no village (a village is known only through a grid)."""
    first, second = two_enterprises_in_one_grid()
    township = first.township_id
    Area.objects.filter(pk=first.grid_id).update(archived_at=timezone.now())
    rows = []
    for enterprise in (first, second):
        row = ledger_record(world.admin, "enterprises", {"统一社会信用代码": enterprise.uscc})
        row["所属乡镇代码"] = row["所属网格代码"] = None  # placed by its coordinates
        rows.append(row)

    import_one(world, rows[0], bulk=True)
    import_one(world, rows[1], bulk=False)

    assert placed(first.uscc) == placed(second.uscc) == (township, None, None)


@pytest.mark.parametrize("cells", [
    {},                                               # grid named, township from it
    {"所属网格代码": None},                             # placed by the coordinates alone
    {"所属网格代码": None, "所属乡镇代码": "township"},   # township named, no grid
])
def test_bulk_and_row_imports_place_a_new_enterprise_alike(world, cells):
    rows = []
    for n, bulk in ((11, True), (12, False)):
        row = good_row(world, uscc=valid_uscc(n))
        row.update({k: (world.grid.township.code if v == "township" else v) for k, v in cells.items()})
        rows.append(row)
        import_one(world, row, bulk=bulk)
    by_bulk, by_row = placed(valid_uscc(11)), placed(valid_uscc(12))
    assert by_bulk == by_row
    assert by_bulk[0] == world.grid.township_id
    if "所属乡镇代码" not in cells:
        assert by_bulk[2] == world.grid.pk and by_bulk[1] is not None
    assert shape(world.grid.geometry).covers(shape({"type": "Point", "coordinates": [rows[0]["经度"], rows[0]["纬度"]]}))


def test_enterprises_places_and_the_bulk_import_share_one_default_department_rule(world):
    """管行业必须管安全: a record naming no department gets its industry's active department
    (the first created); the services and the bulk import ask the same function."""
    from citysafe.accounts.models import Organisation
    from citysafe.registry import services
    from citysafe.registry.models import Industry, Place

    industry = Industry.objects.get(code="manufacturing")
    first = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, industries=industry).order_by("id").first()
    office = Organisation.objects.create(kind=Organisation.Kind.OFFICE, code="test-office", name="测试办公室")
    second = Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, code="test-dept", name="测试部门")
    third = Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, code="test-dept-2", name="测试部门二")
    for organisation in (office, second, third):
        organisation.industries.add(industry)
    Organisation.objects.filter(pk=first.pk).update(archived_at=timezone.now())  # no longer the default
    expected = second.pk  # the first created active department; an office is never the default

    import_one(world, good_row(world, uscc=valid_uscc(21)), bulk=True)
    import_one(world, good_row(world, uscc=valid_uscc(22)), bulk=False)
    point = shape(world.grid.geometry).representative_point()
    place = services.create_place(world.admin, {"name": "新建仓库", "place_type": Place.objects.first().place_type,
                                                "industry_id": industry.pk,
                                                "geometry": {"type": "Point", "coordinates": [point.x, point.y]}})
    departments = {Enterprise.objects.get(uscc=valid_uscc(21)).supervising_department_id,
                   Enterprise.objects.get(uscc=valid_uscc(22)).supervising_department_id, place.supervising_department_id}
    assert departments == {expected}
