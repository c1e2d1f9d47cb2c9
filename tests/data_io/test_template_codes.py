"""Import templates speak as the ledgers do: industries by Chinese name (the code beside it on
the 代码表 sheet, both accepted), and only the user's own townships and grids on offer."""
import io

from django.test import Client
from openpyxl import load_workbook

from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Area, Enterprise, Industry
from tests.data_io.conftest import workbook_with_rows
from tests.data_io.test_import_errors import good_row, valid_uscc


def code_sheet_columns(user) -> dict[str, list]:
    client = Client()
    client.force_login(user)
    response = client.get("/io/templates/enterprises.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["代码表"]
    return {col[0].value: [c.value for c in col[1:] if c.value is not None]
            for col in sheet.iter_cols() if col[0].value}


def test_template_offers_industries_by_name_with_codes_beside(world):
    columns = code_sheet_columns(world.admin)
    industry = Industry.objects.get(code="manufacturing")
    names, codes = columns["行业名称"], columns["行业代码"]
    assert names.index(industry.name) == codes.index(industry.code)


def test_township_template_lists_only_its_township_and_grids(world):
    columns = code_sheet_columns(world.township_officer)
    township = world.township_officer.organisation.area
    assert columns["乡镇代码"] == [township.code]
    own_grids = set(Area.objects.filter(level="grid", township=township, archived_at=None).values_list("code", flat=True))
    assert set(columns["网格代码"]) == own_grids and own_grids


def test_industry_name_and_code_both_import(world):
    industry = Industry.objects.get(code="manufacturing")
    rows = [good_row(world, uscc=valid_uscc(51), 行业代码=industry.name),
            good_row(world, uscc=valid_uscc(52), 行业代码=industry.code)]
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", rows))
    assert result.ok, [(e.header, e.message) for e in result.errors]
    assert set(Enterprise.objects.filter(uscc__in=[valid_uscc(51), valid_uscc(52)])
               .values_list("industry_id", flat=True)) == {industry.pk}
