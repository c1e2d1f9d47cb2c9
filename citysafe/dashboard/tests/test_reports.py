"""Periodic reports: generated for a subject and period, stored, downloadable as .docx (parsed
here) and PDF, sent to subscribers through the outbox; a township reports on itself only; the
scheduled job makes last month's reports once."""
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from citysafe.core.workflow.system import as_system
from citysafe.dashboard import services
from citysafe.dashboard.models import Report
from citysafe.dashboard.reports.subjects import Subject, all_subjects
from citysafe.dashboard.tasks import generate_due_reports, periods_due
from citysafe.notifications.models import Notification
from kernels.chinese_numbers import format_chinese_number

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)


def _docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def test_a_monthly_county_report_is_a_word_file_with_the_figures_and_a_pdf(world, client):
    services.subscribe(world.leader, monthly=True, annual=False)
    services.subscribe(world.township_officer, monthly=True, annual=True)
    report = services.generate_report(world.admin, period="month", first=FIRST, last=LAST, subject=Subject())
    assert report.title.startswith("全县2026年10月")
    client.force_login(world.admin)
    response = client.get(reverse("dashboard:report-file", args=[report.pk, "docx"]))
    text, tables = _docx_text(b"".join(response.streaming_content))
    assert report.title in text
    state = {row[0]: row[1] for row in tables[0][1:]}
    assert state["未销号隐患"] == format_chinese_number(report.figures["state"]["hazards_open"]["value"])
    months = tables[1]
    assert months[0] == ["月份", "发现隐患", "销号隐患", "按期销号", "按期销号率"]
    assert len(months) == 1 + 12 and months[-1][0] == "2026-10"
    assert any(t[0][1] == "乡镇" for t in tables)   # the township ranking
    pdf = b"".join(client.get(reverse("dashboard:report-file", args=[report.pk, "pdf"])).streaming_content)
    assert pdf.startswith(b"%PDF")
    Path("/tmp/dashboard_report.pdf").write_bytes(pdf)   # rendered with pdftoppm and looked at
    Path("/tmp/dashboard_report.docx").write_bytes(report.docx.open("rb").read())
    # the leader subscribed and sees county reports; a township officer cannot see a county report
    sent = Notification.objects.filter(kind="safety_report")
    assert set(sent.values_list("recipient_id", flat=True)) == {world.leader.pk}


def test_a_township_officer_reports_on_its_own_township_only(world, client):
    own = Subject(township=world.township_a)
    report = services.generate_report(world.township_officer, period="month", first=FIRST, last=LAST, subject=own)
    with pytest.raises(PermissionDenied):
        services.generate_report(world.township_officer, period="month", first=FIRST, last=LAST, subject=Subject())
    client.force_login(world.other_township_officer)
    assert client.get(reverse("dashboard:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("dashboard:report-file", args=[report.pk, "pdf"])).status_code == 404
    client.force_login(world.township_officer)
    page = client.get(reverse("dashboard:reports"))
    assert [r.pk for r in page.context["reports"]] == [report.pk]
    assert [key for key, _s in page.context["form"].fields["subject"].choices] == [f"t{world.township_a.pk}"]


def test_a_report_for_any_period_is_made_on_demand_from_the_page(world, client):
    client.force_login(world.leader)
    response = client.post(reverse("dashboard:reports"), {
        "subject": "county", "period": "custom", "period_start": "2026-01-01", "period_end": "2026-06-30"})
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("dashboard:report", args=[report.pk])
    assert report.figures["months"][0]["month"] == "2026-01" and len(report.figures["months"]) == 6
    page = client.get(response.url)
    assert "2026-01-01至2026-06-30" in page.content.decode()


def test_a_period_that_ends_before_it_starts_is_refused_naming_the_field(world, client):
    client.force_login(world.leader)
    response = client.post(reverse("dashboard:reports"), {
        "subject": "county", "period": "custom", "period_start": "2026-06-30", "period_end": "2026-01-01"})
    assert response.status_code == 200 and "截止日期不能早于起始日期" in response.content.decode()
    assert not Report.objects.exists()


def test_the_scheduled_job_makes_last_months_reports_once_and_the_annual_ones_in_january():
    assert periods_due(date(2026, 11, 1)) == [("month", date(2026, 10, 1), date(2026, 10, 31))]
    assert periods_due(date(2027, 1, 1))[1] == ("year", date(2026, 1, 1), date(2026, 12, 31))


def test_the_scheduled_job_is_idempotent(world, capsys):
    made = generate_due_reports(date(2026, 11, 1))
    assert made == len(all_subjects()) == Report.objects.count()
    assert generate_due_reports(date(2026, 11, 1)) == 0
    call_command("generate_reports", "--date", "2026-11-01")   # the same, by hand (after make demo)
    assert capsys.readouterr().out.strip() == "0 reports generated"
    with as_system():
        assert Report.objects.filter(township__isnull=True, department__isnull=True).count() == 1
