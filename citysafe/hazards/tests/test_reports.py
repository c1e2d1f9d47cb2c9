"""Public reporting without login: CAPTCHA, rate limit, no HTML injection, a tracking code,
triage, rewards by rule; the reporter seen by the county office only; public pages carry no
personal data."""
import datetime

import pytest
from captcha.models import CaptchaStore
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from citysafe.core.workflow import TransitionError
from citysafe.hazards.models import Hazard, PublicReport, Reward, Status
from citysafe.hazards.services import hazards as services
from citysafe.hazards.services.reports import decide_reward, propose_reward, submit_report, triage_report
from citysafe.hazards.tests.conftest import step

pytestmark = pytest.mark.django_db


def _form(hw, **extra):
    CaptchaStore.generate_key()
    store = CaptchaStore.objects.order_by("-id").first()
    return {"description": "<script>alert(1)</script>饭店后厨液化气瓶漏气", "category": "gas",
            "lon": hw.place.lon, "lat": hw.place.lat, "address": "十字路口", "reporter_name": "马小明",
            "reporter_phone": "13912345678", "captcha_0": store.hashkey, "captcha_1": store.response, **extra}


def test_public_report_form_needs_no_login_and_gives_a_tracking_code(hw):
    client = Client(REMOTE_ADDR="10.1.2.3")
    assert client.get("/hazards/public/report/").status_code == 200
    answer = client.post("/hazards/public/report/", _form(hw))
    assert answer.status_code == 200
    report = PublicReport.objects.latest("id")
    assert report.tracking_code in answer.content.decode()
    assert report.township_id == hw.place.township_id
    progress = client.get(f"/hazards/public/progress/?code={report.tracking_code}").content.decode()
    assert "已受理" in progress
    assert "<script>alert" not in client.get(f"/hazards/public/progress/?code={report.tracking_code}").content.decode()


def test_public_report_with_a_wrong_captcha_is_refused(hw):
    client = Client(REMOTE_ADDR="10.1.2.4")
    before = PublicReport.objects.count()
    answer = client.post("/hazards/public/report/", _form(hw, captcha_1="WRONG"))
    assert answer.status_code == 200 and PublicReport.objects.count() == before


def test_public_reports_are_rate_limited_per_address(hw, settings):
    settings.HAZARD_REPORTS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="10.9.9.9")
    for _n in range(2):
        assert client.post("/hazards/public/report/", _form(hw)).status_code == 200
    assert client.post("/hazards/public/report/", _form(hw)).status_code == 429
    assert Client(REMOTE_ADDR="10.9.9.10").post("/hazards/public/report/", _form(hw)).status_code == 200


def _report(hw, address="10.0.0.1"):
    return submit_report(address, description="河道边护栏缺失", lon=hw.place.lon, lat=hw.place.lat,
                         reporter_name="马小明", reporter_phone="13912345678")


def test_reporter_identity_is_seen_by_the_county_office_only(hw):
    from tests.api.conftest import Api

    report = _report(hw)
    admin = Api(hw.world.admin).get(f"/api/v1/public-reports/{report.pk}").json()
    township = Api(hw.world.township_officer).get(f"/api/v1/public-reports/{report.pk}").json()
    assert admin["reporter_name"] == "马小明" and admin["reporter_phone"] == "13912345678"
    assert township["reporter_name"] == "马**" and township["reporter_phone"] == "139****5678"
    listed = Api(hw.world.township_officer).get("/api/v1/public-reports", limit=200).json()["items"]
    mine = next(row for row in listed if row["id"] == report.pk)
    assert "马小明" not in str(mine) and "13912345678" not in str(mine)
    page = _page_as(hw.world.township_officer, f"/hazards/public-reports/{report.pk}/")
    assert "马小明" not in page and "13912345678" not in page


def _page_as(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_triage_accepts_a_report_into_a_hazard_and_rejection_needs_a_reason(hw):
    w = hw.world
    first, second = _report(hw, "10.0.0.2"), _report(hw, "10.0.0.3")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        triage_report(w.township_officer, second.pk, "reject", expected_version=second.version)
    accepted = triage_report(w.township_officer, first.pk, "accept", expected_version=first.version)
    assert accepted.hazard.source == "public_report" and accepted.hazard.township_id == hw.place.township_id
    with pytest.raises(TransitionError):
        triage_report(w.township_officer, first.pk, "reject", expected_version=accepted.version, note="x")
    dup = triage_report(w.township_officer, second.pk, "duplicate", expected_version=second.version,
                        duplicate_of=first.pk)
    assert dup.status == PublicReport.Status.DUPLICATE and dup.duplicate_of_id == first.pk


def test_reward_follows_the_rule_and_is_approved_then_paid_by_the_county_office(hw):
    w = hw.world
    report = triage_report(w.admin, _report(hw, "10.0.0.5").pk, "accept", expected_version=1)
    with pytest.raises(TransitionError, match="定级"):
        propose_reward(w.admin, report.pk)
    step(w.township_officer, report.hazard, "grade", grade="major", reason="需停业整改")
    with pytest.raises(PermissionDenied):
        propose_reward(w.township_officer, report.pk)
    reward = propose_reward(w.admin, report.pk)
    assert reward.amount == 3000 and reward.status == Reward.Status.PROPOSED
    with pytest.raises(TransitionError):
        decide_reward(w.admin, reward.pk, "pay", expected_version=reward.version, payment_reference="P1")
    reward = decide_reward(w.admin, reward.pk, "approve", expected_version=reward.version)
    reward = decide_reward(w.admin, reward.pk, "pay", expected_version=reward.version, payment_reference="财付2026-001")
    assert reward.status == Reward.Status.PAID and reward.paid_at


def test_public_disclosure_page_lists_listed_major_hazards_without_personal_data(hw):
    w = hw.world
    hazard = hw.hazard(description="加油站储罐区防雷设施失效")
    step(w.township_officer, hazard, "grade", grade="major", reason="需停业整改")
    step(w.township_officer, hazard, "issue_notice", responsible_unit="某加油站", responsible_person="马责任",
         measures="更换防雷设施", deadline=(timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    hazard.refresh_from_db()
    services.list_for_supervision(w.township_officer, hazard.pk, authority="县应急管理局",
                                  deadline=timezone.localdate() + datetime.timedelta(days=30),
                                  expected_version=hazard.version)
    page = Client().get("/hazards/public/listed/")
    text = page.content.decode()
    assert page.status_code == 200 and hazard.code in text and "县应急管理局" in text and "更换防雷设施" in text
    assert "马责任" not in text  # the responsible person's name is not disclosed
    assert w.township_officer.username not in text
    table = text.split('id="listed-hazards"')[1].split("</table>")[0]
    assert "身份证" not in table and "电话" not in table
    assert Hazard.objects.get(pk=hazard.pk).status == Status.NOTIFIED


def test_dual_lists_are_one_workbook_with_the_risk_list_and_the_hazard_list(hw):
    import io

    from django.core.exceptions import ObjectDoesNotExist
    from openpyxl import load_workbook

    from citysafe.hazards.services.ledgers import write_dual_lists, write_hazard_ledger

    w = hw.world
    enterprise = w.enterprise_in_a
    hazard = services.create_hazard(w.township_officer, {"category": "gas", "description": "=HYPERLINK(\"x\")",
                                                         "enterprise_id": enterprise.pk})
    buffer = io.BytesIO()
    write_dual_lists(w.township_officer, enterprise.pk, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["风险清单", "隐患清单"]
    codes = [row[0] for row in book["隐患清单"].iter_rows(min_row=4, values_only=True)]
    assert hazard.code in codes
    cell = next(r for r in book["隐患清单"].iter_rows(min_row=4) if r[0].value == hazard.code)[4]
    assert cell.data_type == "s" and cell.value.startswith("=")  # a formula-like text stays text
    with pytest.raises(ObjectDoesNotExist):
        write_dual_lists(w.other_township_officer, enterprise.pk, io.BytesIO())
    ledger = io.BytesIO()
    assert write_hazard_ledger(w.township_officer, ledger) >= 1
