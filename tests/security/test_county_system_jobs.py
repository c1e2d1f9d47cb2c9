"""The system actor (scheduled jobs, sensors) in a deployment of two counties (issue 19): it
acts in every county, so the second county's (广河县) sensors raise and clear alarms, its
overdue hazards are escalated and their deadline notices go out to that county's people, and
a CAP source of that county drafts its warnings in that county — while county users still see
only their own county."""
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from citysafe.accounts.models import User
from citysafe.core import scope
from citysafe.core.models import DeadlineNotice
from citysafe.core.workflow.deadlines import run_deadline_sweeps
from citysafe.core.workflow.system import system_actor
from citysafe.early_warning.cap_import import fetch_all_sources
from citysafe.early_warning.models import CapSource, Warning
from citysafe.hazards.demo_counties import seed_second_county_hazards
from citysafe.hazards.models import Hazard
from citysafe.monitoring.models import Alarm, AlarmStatus
from citysafe.monitoring.services.ingest import Credential, ingest
from citysafe.notifications.models import Notification
from citysafe.registry.demo.second_county import build_second_county, ensure_prefecture
from citysafe.registry.models import Area, Enterprise
from conftest import DEMO_PASSWORD
from tests.security.county_paths_world import second_county_gas_sensor

HOME, SECOND = "622926", "622924"  # 东乡族自治县, 广河县 (synthetic outline)
CAP_SAMPLE = Path(__file__).parents[2] / "citysafe/early_warning/tests/cap/cma_rainstorm_12.xml"


@pytest.fixture
def two(db):
    ensure_prefecture(DEMO_PASSWORD)
    build_second_county(DEMO_PASSWORD)
    seed_second_county_hazards()
    users = {name: User.objects.select_related("organisation__area").get(username=name)
             for name in ("admin", "gh_admin", "pref_admin")}
    users["a"], users["b"] = Area.objects.get(code=HOME), Area.objects.get(code=SECOND)
    return users



def _send(sensor, values, start):
    return ingest(Credential(), [(sensor.code, start + 10 * i, v) for i, v in enumerate(values)])


def test_the_system_actor_acts_in_every_county_of_the_deployment(two):
    counties = scope.counties_of(system_actor())
    assert {two["a"].pk, two["b"].pk} <= counties.ids


def test_a_second_county_sensor_over_its_threshold_raises_an_alarm_that_clears(two):
    sensor = second_county_gas_sensor("GH-GAS-TEST-1")
    start = int(time.time()) - 600
    _send(sensor, [5, 60, 61], start)                     # 50 %LEL and over: level 1
    alarm = Alarm.objects.get(sensor=sensor)
    assert (alarm.level, alarm.status) == (1, AlarmStatus.ACTIVE_UNACK)
    _send(sensor, [0, 0], start + 40)                     # back to normal: cleared by the system
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_UNACK
    # the second county sees it, the first does not
    assert scope.narrow(two["gh_admin"], Alarm.objects.filter(pk=alarm.pk)).exists()
    assert not scope.narrow(two["admin"], Alarm.objects.filter(pk=alarm.pk)).exists()


def test_a_second_county_hazard_past_its_deadline_is_escalated_and_noticed_in_its_county(two):
    hazard = Hazard.objects.filter(township__county__code=SECOND).order_by("pk").first()
    now = timezone.now()
    Hazard.objects.filter(pk=hazard.pk).update(status="rectifying", due_at=now - timedelta(days=20),
                                               entered_at=now - timedelta(days=40))
    run_deadline_sweeps(now)
    hazard.refresh_from_db()
    assert (hazard.is_overdue, hazard.escalation) == (True, "county")
    stages = set(DeadlineNotice.objects.filter(object_type="hazards.Hazard", object_id=hazard.pk)
                 .values_list("stage", flat=True))
    assert stages == {"grid", "township", "department", "county"}
    # the county level goes to the hazard's county office, not to the other county's
    told = set(Notification.objects.filter(kind="hazard_overdue", body__contains=hazard.description[:40])
               .values_list("recipient__username", flat=True))
    assert "gh_admin" in told and "admin" not in told


def test_deadline_reminders_reach_the_second_countys_people(two):
    from citysafe.hazards.services.deadlines import send_grouped_reminders

    hazard = Hazard.objects.filter(township__county__code=SECOND).order_by("pk").first()
    now = timezone.now()
    Hazard.objects.filter(pk=hazard.pk).update(status="rectifying", due_at=now + timedelta(days=1),
                                               entered_at=now - timedelta(days=1))
    send_grouped_reminders()
    told = set(Notification.objects.filter(recipient__enterprise_id=hazard.owner_enterprise_id)
               .values_list("recipient__username", flat=True))
    assert told, "the second county's enterprise officer got no deadline reminder"


@pytest.fixture
def cap_server():
    body = CAP_SAMPLE.read_bytes().replace(b"622926", SECOND.encode()).replace(
        b"<identifier>62290041600000_20261130080000_1", b"<identifier>62292441600000_20261130080000_9")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/cap+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/alert.xml"
    server.shutdown()


def test_the_cap_fetch_of_a_second_county_source_drafts_its_warning_in_that_county(two, cap_server):
    source = CapSource.objects.create(name="广河气象", url=cap_server, county=two["b"])
    assert fetch_all_sources() == {"imported": 1, "failed": 0}, CapSource.objects.get(pk=source.pk).last_error
    draft = Warning.objects.order_by("-id").first()
    assert draft.status == "draft" and draft.source.startswith("广河气象")
    assert draft.issuing_department.area.county_id == two["b"].pk
    assert set(draft.townships.values_list("county__code", flat=True)) == {SECOND}
    assert scope.narrow(two["gh_admin"], Warning.objects.filter(pk=draft.pk)).exists()
    assert not scope.narrow(two["admin"], Warning.objects.filter(pk=draft.pk)).exists()


def test_the_daily_credit_expiry_takes_a_second_county_entry_off_the_list(two):
    from citysafe.credit.models import Criterion, ListEntry
    from citysafe.credit.services.entries import expire_entries

    enterprise = Enterprise.objects.filter(township__county__code=SECOND).order_by("pk").first()
    criterion = Criterion.objects.create(code="T99", name="测试情形", basis="安全生产法第七十八条")
    today = timezone.localdate()
    entry = ListEntry.objects.create(
        code="GH-T99-1", enterprise=enterprise, criterion=criterion, basis_text="瞒报事故", status="published",
        published_on=today - timedelta(days=400), expires_on=today - timedelta(days=1),
        township_id=enterprise.township_id, grid_id=enterprise.grid_id, industry_id=enterprise.industry_id)
    assert expire_entries() >= 1
    entry.refresh_from_db()
    assert entry.status == "expired" and entry.removed_on == today
