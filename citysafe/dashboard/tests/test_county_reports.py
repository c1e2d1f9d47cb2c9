"""Periodic reports in a deployment of two counties (issue 19): each county gets its own county
report counting its own data only; a county's users see their county's report and never the
other county's (list, page, Word and PDF); the prefecture office reads both; township and
department reports of the second county count only that county."""
from datetime import date

import pytest
from django.urls import reverse

from citysafe.core.workflow.system import as_system
from citysafe.dashboard import services
from citysafe.dashboard.models import Report
from citysafe.dashboard.reports.subjects import Subject, all_subjects
from citysafe.dashboard.selectors import kpis
from citysafe.registry.models import Area

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)


def _counties():
    a = Area.objects.get(level=Area.Level.COUNTY, code="622926")
    b = Area.objects.get(level=Area.Level.COUNTY, code="622924")
    return a, b


def _open_hazards(user) -> int:
    return next(m["value"] for m in kpis.headline(user)["hazards"] if m["key"] == "hazards_open")


def _county_report(county) -> Report:
    subject = next(s for s in all_subjects() if s.county == county and s.township is None and s.department is None)
    with as_system() as actor:
        return services.generate_report(actor, period="month", first=FIRST, last=LAST, subject=subject)


def test_the_due_reports_include_one_county_report_per_county(two):
    a, b = _counties()
    county_subjects = [s for s in all_subjects() if s.township is None and s.department is None]
    assert sorted(s.county.pk for s in county_subjects) == sorted([a.pk, b.pk])


def test_each_county_report_counts_only_its_own_countys_hazards(two):
    a, b = _counties()
    report_a, report_b = _county_report(a), _county_report(b)
    assert (report_a.county, report_b.county) == (a, b)
    assert report_b.figures["state"]["hazards_open"]["value"] == _open_hazards(two.b["admin"])
    assert report_a.figures["state"]["hazards_open"]["value"] == _open_hazards(two.a["admin"])
    assert _open_hazards(two.a["admin"]) != _open_hazards(two.b["admin"])
    # the ranking of townships in B's report names B's townships only
    names_b = set(Area.objects.filter(level=Area.Level.TOWNSHIP, county=b).values_list("name", flat=True))
    assert {row["name"] for row in report_b.figures["townships"]} <= names_b
    assert report_b.title.startswith(b.name)


def test_the_idempotent_job_does_not_take_one_countys_report_for_the_others(two):
    a, b = _counties()
    _county_report(a)
    subject_b = Subject(county=b)
    assert not Report.objects.filter(period="month", period_start=FIRST, **subject_b.report_fields()).exists()


def test_county_b_admin_sees_its_county_report_and_not_county_as(two, client):
    a, b = _counties()
    report_a, report_b = _county_report(a), _county_report(b)
    client.force_login(two.b["admin"])
    listing = client.get(reverse("dashboard:reports")).content.decode()
    assert report_b.title in listing and report_a.title not in listing
    assert client.get(reverse("dashboard:report", args=[report_b.pk])).status_code == 200
    assert client.get(reverse("dashboard:report", args=[report_a.pk])).status_code == 404
    for fmt in ("docx", "pdf"):
        assert client.get(reverse("dashboard:report-file", args=[report_b.pk, fmt])).status_code == 200
        assert client.get(reverse("dashboard:report-file", args=[report_a.pk, fmt])).status_code == 404
    client.force_login(two.a["admin"])
    assert client.get(reverse("dashboard:report", args=[report_b.pk])).status_code == 404
    assert client.get(reverse("dashboard:report-file", args=[report_b.pk, "pdf"])).status_code == 404


def test_county_b_admin_can_generate_its_own_county_report_but_not_county_as(two, client):
    a, b = _counties()
    client.force_login(two.b["admin"])
    page = client.get(reverse("dashboard:reports")).content.decode()
    assert f'value="c{b.pk}"' in page and f'value="c{a.pk}"' not in page
    form = {"period": "custom", "period_start": "2026-10-01", "period_end": "2026-10-31"}
    refused = client.post(reverse("dashboard:reports"), {**form, "subject": f"c{a.pk}"})
    assert refused.status_code == 200 and not Report.objects.filter(county=a).exists()
    made = client.post(reverse("dashboard:reports"), {**form, "subject": f"c{b.pk}"})
    report = Report.objects.get(county=b)
    assert made.status_code == 302 and report.township is None and report.department is None
    assert report.figures["state"]["hazards_open"]["value"] == _open_hazards(two.b["admin"])


def test_the_prefecture_reads_both_county_reports(two, client):
    a, b = _counties()
    report_a, report_b = _county_report(a), _county_report(b)
    client.force_login(two.prefecture)
    listing = client.get(reverse("dashboard:reports")).content.decode()
    assert report_a.title in listing and report_b.title in listing
    for report in (report_a, report_b):
        assert client.get(reverse("dashboard:report", args=[report.pk])).status_code == 200


def test_township_and_department_reports_of_county_b_count_only_b(two, client):
    a, b = _counties()
    township_b = two.b["township"].organisation.area
    department_b = two.b["department"].organisation
    with as_system() as actor:
        township_report = services.generate_report(actor, period="month", first=FIRST, last=LAST,
                                                   subject=Subject(township=township_b))
        department_report = services.generate_report(actor, period="month", first=FIRST, last=LAST,
                                                     subject=Subject(department=department_b))
    assert township_report.county == b and department_report.county == b
    names_b = set(Area.objects.filter(level=Area.Level.TOWNSHIP, county=b).values_list("name", flat=True))
    assert {row["name"] for row in department_report.figures["townships"]} <= names_b
    assert department_report.figures["state"]["hazards_open"]["value"] == _open_hazards(two.b["department"])
    client.force_login(two.a["admin"])
    for report in (township_report, department_report):
        assert client.get(reverse("dashboard:report", args=[report.pk])).status_code == 404
    client.force_login(two.b["admin"])
    for report in (township_report, department_report):
        assert client.get(reverse("dashboard:report", args=[report.pk])).status_code == 200
