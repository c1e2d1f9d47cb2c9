"""A bad file stores nothing and names every bad cell; whole-file problems get one clear error."""
import io

from openpyxl import load_workbook

from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.templates import build_template
from citysafe.registry.io.workbook import ERROR_HEADER
from citysafe.registry.models import Enterprise, Person
from tests.data_io.conftest import workbook_with_rows


def good_row(world, **changes):
    grid = world.grid
    point = grid.geometry and __import__("shapely.geometry", fromlist=["shape"]).shape(grid.geometry).representative_point()
    row = {"统一社会信用代码": changes.pop("uscc", None) or valid_uscc(1), "企业名称": "东乡县测试建材有限公司",
           "行业代码": "manufacturing", "规模": "小型", "经度": point.x, "纬度": point.y,
           "所属网格代码": grid.code, "安全生产标准化等级": "三级"}
    row.update(changes)
    return row


def valid_uscc(n: int) -> str:
    from kernels.codes import USCC_ALPHABET, uscc_check_character

    body = "".join(USCC_ALPHABET[(n // 31 ** k) % 31] for k in range(8))[::-1]
    first = "91622926" + "X" + body
    return first + uscc_check_character(first)


def bad_uscc(n: int) -> str:
    """A USCC whose check character is wrong."""
    valid = valid_uscc(n)
    return valid[:-1] + ("0" if valid[-1] != "0" else "1")


def errors_by_cell(result):
    return {(e.row, e.header) for e in result.errors}


def test_bad_rows_store_nothing_and_every_bad_cell_is_reported(world):
    count = Enterprise.objects.count()
    rows = [
        good_row(world),                                                     # sheet row 2: fine
        good_row(world, uscc=bad_uscc(2), 行业代码="no-such-industry"),  # row 3: two bad cells
        good_row(world, uscc=valid_uscc(3), 经度="东经103度"),                   # row 4: not a number
        good_row(world, uscc=valid_uscc(1)),                                 # row 5: same USCC as row 2
        good_row(world, uscc=valid_uscc(5), 规模="超大型", 企业名称=""),          # row 6: two bad cells
    ]
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", rows))

    assert not result.ok
    assert Enterprise.objects.count() == count
    assert not Enterprise.objects.filter(uscc=valid_uscc(1)).exists()
    cells = errors_by_cell(result)
    assert {(3, "统一社会信用代码"), (3, "行业代码"), (4, "经度"), (5, "统一社会信用代码"),
            (6, "规模"), (6, "企业名称")} <= cells
    assert not any(row == 2 for row, _header in cells)

    report = load_workbook(io.BytesIO(result.report)).worksheets[0]
    headers = [c.value for c in report[1]]
    assert headers[-1] == ERROR_HEADER
    error_col = len(headers)
    assert report.cell(row=2, column=error_col).value is None
    assert "统一社会信用代码" in report.cell(row=3, column=error_col).value
    assert "行业代码" in report.cell(row=3, column=error_col).value
    assert "重复" in report.cell(row=5, column=error_col).value
    uscc_col = headers.index("统一社会信用代码") + 1
    assert report.cell(row=3, column=uscc_col).fill.fgColor.rgb.endswith("FFC7CE")
    assert report.cell(row=2, column=uscc_col).fill.fgColor.rgb != report.cell(row=3, column=uscc_col).fill.fgColor.rgb


def test_bulk_path_reports_the_same_cells_as_the_service_path(world):
    from tests.data_io.conftest import ledger_record

    other_officer = Person.objects.get(pk=world.enterprise_in_b.safety_officer_id)
    # An enterprise re-imported with another enterprise's person as its safety officer.
    foreign_officer = ledger_record(world.admin, "enterprises", {"统一社会信用代码": world.enterprise_in_a.uscc})
    foreign_officer["安全管理负责人"] = f"{other_officer.name}/{other_officer.id_number}"
    rows = [good_row(world), good_row(world, uscc=bad_uscc(2)), good_row(world, uscc=valid_uscc(3), 经度=200),
            good_row(world, uscc=valid_uscc(4), 所属网格代码=world.grid.code, 经度=103.0, 纬度=35.0),
            good_row(world, uscc=valid_uscc(5), 安全管理负责人="查无此人/13900000000"),
            foreign_officer]
    data = workbook_with_rows("enterprises", rows)
    service = import_workbook(world.admin, "enterprises", data, bulk=False)
    bulk = import_workbook(world.admin, "enterprises", data, bulk=True)
    assert errors_by_cell(service) == errors_by_cell(bulk)
    assert {(6, "安全管理负责人"), (7, "安全管理负责人")} <= errors_by_cell(service)
    assert [e.message for e in service.errors if e.row == 7] == [e.message for e in bulk.errors if e.row == 7]


def test_a_filled_in_template_imports(world):
    workbook = load_workbook(io.BytesIO(build_template("enterprises")))
    sheet = workbook["企业"]
    headers = [c.value for c in sheet[1]]
    for col, header in enumerate(headers, start=1):
        sheet.cell(row=2, column=col, value=good_row(world).get(header))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_workbook(world.admin, "enterprises", buffer.getvalue())
    assert result.ok, result.errors
    assert Enterprise.objects.get(uscc=valid_uscc(1)).grid == world.grid


def test_not_an_xlsx_is_refused(world):
    result = import_workbook(world.admin, "enterprises", b"name,uscc\nA,B\n")
    assert not result.ok and "Excel" in result.file_error


def test_over_the_size_limit_is_refused(world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [good_row(world)]))
    assert "文件过大" in result.file_error
    assert not Enterprise.objects.filter(uscc=valid_uscc(1)).exists()


def test_missing_required_column_is_named(world):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["统一社会信用代码", "企业名称", "经度", "纬度"])
    workbook.active.append([valid_uscc(1), "甲", 103.4, 35.6])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_workbook(world.admin, "enterprises", buffer.getvalue())
    assert "缺少必填列" in result.file_error and "行业代码" in result.file_error


def test_unknown_column_is_named(world):
    rows = workbook_with_rows("enterprises", [good_row(world)])
    workbook = load_workbook(io.BytesIO(rows))
    workbook.active.cell(row=1, column=workbook.active.max_column + 1, value="备注栏")
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_workbook(world.admin, "enterprises", buffer.getvalue())
    assert "无法识别的列" in result.file_error and "备注栏" in result.file_error


def test_workbook_without_data_rows_is_refused(world):
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", []))
    assert "没有数据行" in result.file_error
