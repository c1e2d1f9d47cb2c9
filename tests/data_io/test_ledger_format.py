"""A ledger (台账) prints and reads as county offices file it: merged centred title, borders,
frozen and repeated header, landscape fitted to width, sensible number formats, Chinese
labels instead of codes — and it still imports back."""
import io

from openpyxl import load_workbook

from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.export import LEDGER_HEADER_ROW
from citysafe.registry.models import Enterprise
from tests.data_io.conftest import ledger_bytes


def enterprise_sheet(world):
    return load_workbook(io.BytesIO(ledger_bytes(world.admin, "enterprises"))).worksheets[0]


def test_ledger_title_is_merged_and_centred_over_the_columns(world):
    sheet = enterprise_sheet(world)
    merged = [str(r) for r in sheet.merged_cells.ranges]
    assert merged and merged[0].startswith("A1:")
    assert merged[0].endswith(f"{sheet.cell(row=LEDGER_HEADER_ROW, column=sheet.max_column).column_letter}1")
    assert sheet["A1"].alignment.horizontal == "center"


def test_ledger_has_borders_a_frozen_header_and_a_print_setup(world):
    sheet = enterprise_sheet(world)
    assert sheet.freeze_panes == f"A{LEDGER_HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${LEDGER_HEADER_ROW}:${LEDGER_HEADER_ROW}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    for cell in (sheet.cell(row=LEDGER_HEADER_ROW, column=1), sheet.cell(row=LEDGER_HEADER_ROW + 1, column=2)):
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"


def test_ledger_shows_coordinates_with_six_decimals_and_industry_by_name(world):
    sheet = enterprise_sheet(world)
    headers = [c.value for c in sheet[LEDGER_HEADER_ROW]]
    row = sheet[LEDGER_HEADER_ROW + 1]
    lon = row[headers.index("经度")]
    assert lon.number_format == "0.000000"
    uscc = row[headers.index("统一社会信用代码")].value
    enterprise = Enterprise.objects.get(uscc=uscc)
    assert row[headers.index("行业代码")].value == enterprise.industry.name
    assert row[headers.index("规模")].value == enterprise.get_scale_display()


def test_ledger_with_industry_names_imports_back_unchanged(world):
    data = ledger_bytes(world.admin, "enterprises")
    before = dict(Enterprise.objects.values_list("uscc", "industry_id"))
    result = import_workbook(world.admin, "enterprises", data, filename="enterprises.xlsx")
    assert result.ok, (result.file_error, result.errors[:3])
    assert dict(Enterprise.objects.values_list("uscc", "industry_id")) == before
