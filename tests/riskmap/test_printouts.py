"""Server-rendered map (PNG, PDF, command), the risk list ledger and the risk notification card:
valid files, the title in the PDF, each role's scope, every export audited."""
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command

from citysafe.core.audit_models import AuditRecord
from citysafe.risks.models import RiskPoint
from tests.riskmap.helpers import fetch

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: scripts/ensure_services.sh")
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_county_map_downloads_as_png_and_pdf_with_title_and_is_audited(world):
    before = AuditRecord.objects.filter(action="export").count()
    response, png = fetch(world.admin, "/risk-map/map.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 50_000
    response, pdf = fetch(world.admin, "/risk-map/map.pdf")
    assert response.status_code == 200 and pdf.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(pdf)
    assert "安全风险四色分布图" in text and "图例" in text and "北" in text and "公里" in text
    assert "制图日期" in text
    records = AuditRecord.objects.filter(action="export").order_by("-id")
    assert records.count() == before + 2
    assert records.first().after["resource"] == "risk-map" and records.first().after["format"] == "pdf"


def test_township_officer_prints_its_township_and_another_township_is_404(world):
    response, pdf = fetch(world.township_officer, "/risk-map/map.pdf")
    assert response.status_code == 200
    assert f"{world.township_a.name}安全风险四色分布图" in pdf_text(pdf)
    response, _ = fetch(world.township_officer, "/risk-map/map.pdf", township=world.township_b.pk)
    assert response.status_code == 404


def test_render_command_writes_a_township_pdf(world, tmp_path):
    target = tmp_path / "township.pdf"
    call_command("render_risk_map", "--township", world.township_a.code, "--format", "pdf", "-o", str(target),
                 verbosity=0)
    content = target.read_bytes()
    assert content.startswith(b"%PDF") and f"{world.township_a.name}安全风险四色分布图" in pdf_text(content)
    assert AuditRecord.objects.filter(action="export", after__resource="risk-map", channel="command").exists()


def test_risk_list_ledger_holds_the_township_points_only_in_ledger_style(world):
    response, body = fetch(world.township_officer, "/risk-ledgers/risk-list.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet["A1"].value == f"{world.township_a.name}风险清单"
    assert "A1:Q1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.freeze_panes == "A4" and sheet["B3"].value == "风险点名称"
    assert sheet["B4"].border.left.style == "thin"
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    expected = RiskPoint.objects.filter(township=world.township_a, archived_at__isnull=True)
    assert sorted(names) == sorted(expected.values_list("name", flat=True))
    assert AuditRecord.objects.filter(action="export", after__resource="risk-list").exists()


def test_enterprise_ledger_outside_scope_is_404_and_own_enterprise_ledger_is_its_points(world):
    response, _ = fetch(world.township_officer, "/risk-ledgers/risk-list.xlsx", enterprise=world.enterprise_in_b.pk)
    assert response.status_code == 404
    response, body = fetch(world.enterprise_officer, "/risk-ledgers/risk-list.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet["A1"].value == f"{world.enterprise.name}风险清单"
    count = RiskPoint.objects.filter(owner_enterprise=world.enterprise, archived_at__isnull=True).count()
    assert sheet.max_row - 3 == count
    response, body = fetch(world.admin, "/risk-ledgers/risk-list.xlsx", township="x")
    assert response.status_code == 422


def test_risk_card_pdf_names_the_point_and_level_and_is_audited_and_404_outside(world):
    point = RiskPoint.objects.filter(township=world.township_a, level=1, archived_at__isnull=True).first() or \
        RiskPoint.objects.filter(township=world.township_a, archived_at__isnull=True).first()
    response, pdf = fetch(world.township_officer, f"/risk-map/points/{point.pk}/card.pdf")
    assert response.status_code == 200 and pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "风险告知卡" in text and point.name[:8] in text and point.get_level_display() in text
    assert "应急处置措施" in text and "责任人" in text
    assert AuditRecord.objects.filter(action="export", after__resource="risk-card", object_id=str(point.pk)).exists()
    assert fetch(world.other_township_officer, f"/risk-map/points/{point.pk}/card.pdf")[0].status_code == 404
