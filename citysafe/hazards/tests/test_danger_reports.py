"""A citizen's danger report (险情报告, early_warning's public form) becomes a public report (举报)
of the hazards app — through the sink hazards registers in early_warning.hooks — and from there a
hazard by the usual triage, with the link back on the danger report."""
import pytest
from captcha.models import CaptchaStore
from django.test import Client
from shapely.geometry import shape

from citysafe.early_warning.models import DangerReport
from citysafe.hazards.models import PublicReport, Source
from citysafe.hazards.services.reports import track, triage_report

pytestmark = pytest.mark.django_db
URL = "/early-warning/public/report/"


def _post(data):
    client = Client()
    client.get(URL)
    store = CaptchaStore.objects.order_by("-id").first()
    answer = client.post(URL, {**data, "captcha_0": store.hashkey, "captcha_1": store.response})
    assert answer.status_code == 200 and 'id="report-received"' in answer.text
    return DangerReport.objects.get(place=data["place"])


def test_a_located_danger_report_becomes_a_public_report_and_then_a_hazard_with_the_link_back(world):
    point = shape(world.township_a.geometry).representative_point()
    danger = _post({"kind": "gas_leak", "place": "菜市场东门", "description": "闻到很浓的燃气味",
                    "lon": point.x, "lat": point.y, "contact_name": "王五", "contact_phone": "13900006666"})
    assert danger.forwarded_to.startswith("hazards.PublicReport:")
    report = PublicReport.objects.get(pk=int(danger.forwarded_to.split(":")[1]))
    assert (report.tracking_code, report.category, report.township_id) == (danger.tracking_code, "gas",
                                                                           world.township_a.pk)
    assert "闻到很浓的燃气味" in report.description and report.address == "菜市场东门"
    assert (report.reporter_name, report.reporter_phone) == ("王五", "13900006666")
    assert track(danger.tracking_code) == report  # the citizen can follow it with the code
    accepted = triage_report(world.township_officer, report.pk, "accept", expected_version=report.version)
    assert accepted.hazard.source == Source.PUBLIC_REPORT
    assert DangerReport.objects.get(forwarded_to=f"hazards.PublicReport:{accepted.pk}") == danger


def test_a_danger_report_without_a_location_stays_in_early_warning_only(world):
    danger = _post({"kind": "landslide", "place": "后山某处", "description": "山体出现裂缝"})
    assert (danger.forwarded_to, danger.tracking_code) == ("", "")
    assert not PublicReport.objects.filter(description__contains="山体出现裂缝").exists()


def test_a_refused_forwarding_keeps_the_danger_report(world, settings):
    settings.HAZARD_REPORTS_PER_HOUR_TOTAL = 0  # the hazards side is over its hourly limit
    point = shape(world.township_a.geometry).representative_point()
    danger = _post({"kind": "other", "place": "桥下", "description": "桥墩有明显裂缝", "lon": point.x, "lat": point.y})
    assert danger.pk and danger.forwarded_to == ""
