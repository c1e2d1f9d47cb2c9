"""The accident statistics and the target progress as Excel and PDF: scoped, audited, linked."""
import io
from datetime import date

from openpyxl import load_workbook

from citysafe.assessment.models import Accident, BaseFigure, PolicyTarget
from citysafe.assessment.services import exports
from citysafe.core.audit_models import AuditRecord


def _accidents(world):
    Accident.objects.create(code="SG-R-1", kind="road", occurred_on=date(2012, 3, 2), place="国道",
                            township=world.township_a, deaths=2, injuries=1, direct_loss=10)
    Accident.objects.create(code="SG-R-2", kind="fire", occurred_on=date(2012, 5, 9), place="集镇",
                            township=world.township_b, deaths=1, injuries=0, direct_loss=5)
    BaseFigure.objects.create(year=2012, gdp_yi=100, vehicles_wan=4, population=200000)


def _sheets(content):
    book = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_accident_statistics_export_as_excel_with_the_rates_and_are_audited(world):
    _accidents(world)
    content, name = exports.statistics_workbook(world.admin, 2012)
    sheets = _sheets(content)
    yearly = sheets["按年度"]
    header, row = yearly[0], yearly[1]
    assert row[:5] == (2012, 2, 3, 1, 15)
    # 2 road deaths / 4 万 vehicles = 0.5; 1 fire death / 200,000 people × 100,000 = 0.5
    assert row[header.index("道路交通事故万车死亡率")] == 0.5
    assert row[header.index("火灾十万人口死亡率")] == 0.5
    townships = sheets["2012年按乡镇"]
    assert {r[0]: r[2] for r in townships[1:]} == {world.township_a.name: 2, world.township_b.name: 1}
    assert name.endswith(".xlsx")
    audit = AuditRecord.objects.filter(action="export", object_type="assessment.Accident").latest("id")
    assert audit.after["format"] == "xlsx" and audit.after["year"] == 2012


def test_a_township_exports_only_its_own_accidents(world):
    _accidents(world)
    townships = _sheets(exports.statistics_workbook(world.township_officer, 2012)[0])["2012年按乡镇"]
    assert [r[0] for r in townships[1:]] == [world.township_a.name]


def test_accident_statistics_and_target_progress_print_as_pdfs_with_charts(world):
    _accidents(world)
    content, name = exports.statistics_pdf(world.admin, 2012)
    assert content.startswith(b"%PDF") and name.endswith(".pdf")
    content, name = exports.targets_pdf(world.admin)
    assert content.startswith(b"%PDF")
    formats = set(AuditRecord.objects.filter(action="export", object_type__startswith="assessment.")
                  .values_list("after__format", flat=True))
    assert formats == {"pdf"}


def test_target_progress_exports_with_status_and_percentage(world):
    target = PolicyTarget.objects.get(code="ZC-2-5-1")  # signal lights ≥ 90 %
    target.current_value, target.current_on = 45, date(2020, 6, 1)
    target.save()
    rows = _sheets(exports.targets_workbook(world.admin)[0])["目标进展"]
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == "ZC-2-5-1")
    assert row[header.index("完成进度（%）")] == 50.0
    assert row[header.index("状态")] == "红灯" and "二（五）" in row[header.index("政策条款")]
    assert AuditRecord.objects.filter(action="export", object_type="assessment.PolicyTarget",
                                      after__format="xlsx").exists()


def test_the_pages_link_their_downloads_and_the_downloads_answer(world, client):
    _accidents(world)
    client.force_login(world.admin)
    page = client.get("/assessment/statistics/?year=2012").content.decode()
    assert "/assessment/statistics/report.xlsx?year=2012" in page and "/assessment/statistics/report.pdf" in page
    assert "/assessment/targets/report.xlsx" in client.get("/assessment/targets/").content.decode()
    for url in ("/assessment/statistics/report.xlsx?year=2012", "/assessment/statistics/report.pdf?year=x",
                "/assessment/targets/report.xlsx", "/assessment/targets/report.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"], url
