"""The template says of the grid column "空白时按坐标自动落位": a blank grid is found from the
coordinates even when the township column is filled, on the per-row and the bulk path alike;
a township that does not hold the grid found is refused, naming both."""
import pytest

from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Area, Enterprise
from tests.data_io.conftest import workbook_with_rows
from tests.data_io.test_import_errors import good_row, valid_uscc


def other_township(world) -> Area:
    return Area.objects.filter(level="township").exclude(pk=world.grid.township_id).order_by("code").first()


@pytest.mark.parametrize("bulk", [False, True], ids=["service-path", "bulk-path"])
def test_blank_grid_is_placed_from_coordinates_when_the_township_is_filled(world, bulk):
    row = good_row(world, uscc=valid_uscc(31), 所属网格代码=None, 所属乡镇代码=world.grid.township.code)
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [row]), bulk=bulk)
    assert result.ok, [(e.header, e.message) for e in result.errors]
    enterprise = Enterprise.objects.get(uscc=valid_uscc(31))
    assert (enterprise.township_id, enterprise.grid_id) == (world.grid.township_id, world.grid.pk)
    assert enterprise.village_id is not None


@pytest.mark.parametrize("bulk", [False, True], ids=["service-path", "bulk-path"])
def test_township_not_holding_the_grid_at_the_coordinates_is_refused_naming_both(world, bulk):
    wrong = other_township(world)
    row = good_row(world, uscc=valid_uscc(32), 所属网格代码=None, 所属乡镇代码=wrong.code)
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [row]), bulk=bulk)
    assert not result.ok
    messages = [e.message for e in result.errors if e.header == "所属乡镇代码"]
    assert messages, [(e.header, e.message) for e in result.errors]
    assert world.grid.name in messages[0] and wrong.name in messages[0] and world.grid.township.name in messages[0]
    assert not Enterprise.objects.filter(uscc=valid_uscc(32)).exists()
