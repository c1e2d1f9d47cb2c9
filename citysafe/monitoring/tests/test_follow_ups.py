"""An alarm change commits with its audit record; its follow-ups (the risk map's area raise,
the notifications) run after the commit, and the minute sweep redoes those a killed process
lost."""
import time
from datetime import timedelta

import numpy as np
import pytest

from citysafe.monitoring.models import ACTIVE, Alarm, Sensor
from citysafe.monitoring.services import alarms, evaluator
from citysafe.monitoring.services.evaluation import evaluate_batch
from citysafe.monitoring.services.ingest import Credential, ingest
from citysafe.notifications.models import Notification
from citysafe.risks.models import AreaRaise


@pytest.fixture
def gas(world):
    return Sensor.objects.filter(sensor_type="gas", archived_at__isnull=True).order_by("id").first()


def _raises(alarm):
    return AreaRaise.objects.filter(source=f"monitoring.Alarm:{alarm.pk}", cleared_at__isnull=True)


def _told(alarm):
    return Notification.objects.filter(kind=alarms.NOTIFY_KIND, link=f"/monitoring/alarms/{alarm.pk}/")


def test_an_alarm_is_visible_to_other_connections_before_its_follow_ups_run(transactional_world, monkeypatch):
    gas = Sensor.objects.filter(sensor_type="gas", archived_at__isnull=True).order_by("id").first()
    monkeypatch.setenv("MONITORING_EVALUATION", "deferred")
    held = []
    monkeypatch.setattr(evaluator.FOLLOW_UPS, "submit_follow_ups", held.extend)   # follow-ups held back
    now = time.time()
    ingest(Credential(), [(gas.code, now - 2, 3.0), (gas.code, now - 1, 60.0)])
    assert evaluator.EVALUATOR.wait()
    alarm = Alarm.objects.get(sensor=gas, status__in=ACTIVE)       # committed: this test's connection sees it
    assert alarm.level == 1 and not _raises(alarm).exists() and not _told(alarm).exists()
    alarms.run_follow_ups(held)
    assert set(_raises(alarm).values_list("area_id", flat=True)) == {a for a in (gas.grid_id, gas.township_id) if a}
    assert _told(alarm).exists()


def test_follow_ups_lost_with_a_killed_process_are_redone_by_the_sweep(gas):
    start = int(time.time()) - 300
    later = []
    evaluate_batch(np.array([gas.pk], np.int64), np.array([float(start)]), np.array([60.0]), now=start + 1,
                   later=later)                                   # committed; `later` dies with the process
    alarm = Alarm.objects.get(sensor=gas, status__in=ACTIVE)
    assert later and not _raises(alarm).exists() and not _told(alarm).exists()
    assert alarms.reconcile_follow_ups(older_than=timedelta(0)) == 1
    assert _raises(alarm).exists() and _told(alarm).count() >= 1
    told = _told(alarm).count()
    assert alarms.reconcile_follow_ups(older_than=timedelta(0)) == 0   # nothing left to redo
    assert _told(alarm).count() == told
    # the alarm clears but its follow-up is lost too: the sweep ends the raise
    evaluate_batch(np.array([gas.pk], np.int64), np.array([start + 10.0]), np.array([0.0]), now=start + 11,
                   later=[])
    assert _raises(alarm).exists()
    assert alarms.reconcile_follow_ups(older_than=timedelta(0)) == 1
    assert not _raises(alarm).exists()


def test_a_spike_opened_and_cleared_by_one_batch_is_told_but_raises_no_area(gas):
    start = int(time.time()) - 300
    ingest(Credential(), [(gas.code, start, 2.0), (gas.code, start + 1, 60.0), (gas.code, start + 2, 1.0)])
    alarm = Alarm.objects.get(sensor=gas)
    assert alarm.status not in ACTIVE and alarm.peak_level == 1
    assert not AreaRaise.objects.filter(source=f"monitoring.Alarm:{alarm.pk}").exists()   # none made and undone
    assert _told(alarm).exists()
