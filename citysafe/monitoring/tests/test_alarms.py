"""The alarm lifecycle driven by readings and by people."""
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from citysafe.core.models import WorkflowEvent
from citysafe.monitoring.models import Alarm, AlarmRule, AlarmStatus
from citysafe.monitoring.services import alarms as services
from citysafe.monitoring.services.ingest import Credential, ingest
from citysafe.notifications.models import Notification


def send(sensor, values, start):
    return ingest(Credential(), [(sensor.code, start + 10 * i, v) for i, v in enumerate(values)])


@pytest.fixture
def gas(world):
    from citysafe.monitoring.models import Sensor

    return Sensor.objects.filter(sensor_type="gas").order_by("id").first()


def test_a_gas_excursion_opens_one_alarm_whose_level_rises_and_falls_and_then_clears(gas):
    now = int(time.time()) - 600
    send(gas, [5, 30, 31], now)                       # 25 %LEL: level 2
    alarm = Alarm.objects.get(sensor=gas)
    assert (alarm.level, alarm.status) == (2, AlarmStatus.ACTIVE_UNACK)
    send(gas, [60, 55], now + 30)                     # 50 %LEL: level 1, the same alarm
    alarm.refresh_from_db()
    assert (Alarm.objects.filter(sensor=gas).count(), alarm.level, alarm.peak_level) == (1, 1, 1)
    send(gas, [40], now + 50)                         # below 50 - 3: back to level 2
    alarm.refresh_from_db()
    assert (alarm.level, alarm.peak_level) == (2, 1)
    send(gas, [23, 21], now + 60)                     # 23 ≥ 22 keeps it; 21 clears
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_UNACK and alarm.cleared_at is not None
    assert Notification.objects.filter(kind=services.NOTIFY_KIND).exists()
    send(gas, [35], now + 100)                        # a new excursion: a new alarm
    assert Alarm.objects.filter(sensor=gas, status=AlarmStatus.ACTIVE_UNACK).count() == 1
    assert Alarm.objects.filter(sensor=gas).count() == 2


def test_people_acknowledge_and_close_with_a_disposition_note_and_every_step_is_an_event(world, gas):
    send(gas, [30], int(time.time()) - 100)
    alarm = Alarm.objects.get(sensor=gas)
    officer = world.admin
    alarm = services.acknowledge_alarm(officer, alarm.pk, expected_version=alarm.version)
    assert alarm.status == AlarmStatus.ACTIVE_ACK
    send(gas, [10], int(time.time()) - 50)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_ACK
    alarm = services.close_alarm(officer, alarm.pk, expected_version=alarm.version, note="阀门泄漏已处置")
    assert (alarm.status, alarm.disposition) == (AlarmStatus.CLOSED, "阀门泄漏已处置")
    steps = list(WorkflowEvent.objects.filter(object_type="monitoring.Alarm", object_id=alarm.pk)
                 .order_by("at", "pk").values_list("transition", flat=True))
    assert steps == ["acknowledge", "clear_acknowledged", "close"]


def test_closing_needs_a_note_and_an_unacknowledged_active_alarm_cannot_be_closed(world, gas):
    from citysafe.core.workflow import TransitionError

    send(gas, [30], int(time.time()) - 100)
    alarm = Alarm.objects.get(sensor=gas)
    with pytest.raises(TransitionError):
        services.close_alarm(world.admin, alarm.pk, expected_version=alarm.version, note="")
    with pytest.raises(TransitionError):
        services.close_alarm(world.admin, alarm.pk, expected_version=alarm.version, note="误报")


def test_a_township_cannot_see_or_acknowledge_another_townships_alarm(world):
    from citysafe.monitoring.models import Sensor

    foreign = Sensor.objects.exclude(township=world.township_a).filter(sensor_type="gas").order_by("id").first()
    send(foreign, [30], int(time.time()) - 100)
    alarm = Alarm.objects.get(sensor=foreign)
    client = Client()
    client.force_login(world.township_officer)
    assert client.get(f"/api/v1/monitoring/alarms/{alarm.pk}").status_code == 404
    answer = client.post(f"/api/v1/monitoring/alarms/{alarm.pk}/acknowledge", {"version": alarm.version},
                         content_type="application/json")
    assert answer.status_code == 404
    assert alarm.pk not in [a["id"] for a in client.get("/api/v1/monitoring/alarms").json()]


def test_a_leader_cannot_acknowledge(world, gas):
    send(gas, [30], int(time.time()) - 100)
    alarm = Alarm.objects.get(sensor=gas)
    with pytest.raises(PermissionDenied):
        services.acknowledge_alarm(world.leader, alarm.pk, expected_version=alarm.version)


def test_crowd_counts_warn_at_80_percent_and_alarm_at_capacity(world):
    from citysafe.monitoring.models import Sensor

    crowd = Sensor.objects.filter(sensor_type="crowd", place__capacity__gt=10).order_by("id").first()
    capacity = crowd.place.capacity
    rule = AlarmRule.objects.get(kind="crowd", sensor__isnull=True)
    AlarmRule.objects.filter(pk=rule.pk).update(hold_seconds=0)
    start = int(time.time()) - 300
    send(crowd, [capacity * 0.5, capacity * 0.85], start)
    assert Alarm.objects.get(sensor=crowd).level == 2
    send(crowd, [capacity * 1.05], start + 30)
    assert Alarm.objects.get(sensor=crowd).level == 1


def test_an_unacknowledged_alarm_is_escalated_and_renotified_up_to_the_cap(gas):
    from datetime import timedelta

    from django.utils import timezone

    send(gas, [60], int(time.time()) - 100)
    alarm = Alarm.objects.get(sensor=gas)
    AlarmRule.objects.filter(pk=alarm.rule_id).update(notify_cap=3, notify_every_minutes=10)
    later = timezone.now() + timedelta(minutes=6)        # level 1 escalates after 5 minutes
    services.sweep_unacknowledged(later)
    alarm.refresh_from_db()
    assert (alarm.escalations, alarm.notifications) == (1, 2)
    for minutes in (20, 40, 60, 80):
        services.sweep_unacknowledged(timezone.now() + timedelta(minutes=minutes))
    alarm.refresh_from_db()
    assert alarm.notifications == 3


def test_an_active_level_one_alarm_raises_its_area_while_it_lasts(gas):
    from citysafe.risks.models import AreaRaise

    start = int(time.time()) - 300
    send(gas, [60], start)
    alarm = Alarm.objects.get(sensor=gas)
    raised = AreaRaise.objects.filter(source=f"monitoring.Alarm:{alarm.pk}", cleared_at__isnull=True)
    assert set(raised.values_list("area_id", flat=True)) == {a for a in (gas.grid_id, gas.township_id) if a}
    assert set(raised.values_list("level", flat=True)) == {1}
    send(gas, [30], start + 10)          # level 2: the raise ends
    assert not raised.exists()
    send(gas, [70], start + 20)          # level 1 again: raised again
    assert raised.exists()
    send(gas, [0], start + 30)           # cleared
    assert not raised.exists()


def test_a_sensor_silent_past_the_offline_timeout_gets_a_no_data_alarm_which_clears_when_data_returns(gas):
    from citysafe.monitoring.services.offline import sweep_offline

    start = int(time.time()) - 100
    send(gas, [5], start)
    assert sweep_offline(now=start + 60) == 0
    sweep_offline(now=start + 700)                       # 10 minutes silent: level 3
    alarm = Alarm.objects.get(sensor=gas, rule__kind="offline")
    assert (alarm.level, alarm.status) == (3, AlarmStatus.ACTIVE_UNACK)
    sweep_offline(now=start + 3700)                      # an hour: level 2
    alarm.refresh_from_db()
    assert alarm.level == 2
    send(gas, [5], int(time.time()))
    sweep_offline()
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_UNACK


def test_an_alarm_becomes_a_hazard_in_one_action_through_the_registered_converter(world, gas):
    from django.core.exceptions import ValidationError

    from citysafe.monitoring import hooks

    send(gas, [30], int(time.time()) - 100)
    alarm = Alarm.objects.get(sensor=gas)
    installed = list(hooks._CONVERTERS)   # the hazards app's own converter, set aside for this test
    hooks._CONVERTERS.clear()
    with pytest.raises(ValidationError):
        services.convert_to_hazard(world.admin, alarm.pk)
    made = []

    def converter(actor, alarm, note):   # what the hazards app registers: its create_hazard
        made.append((actor.pk, alarm.pk, note))
        return alarm

    hooks.register_hazard_converter(converter)
    try:
        client = Client()
        client.force_login(world.admin)
        answer = client.post(f"/api/v1/monitoring/alarms/{alarm.pk}/hazard", {"note": "泄漏点"},
                             content_type="application/json")
        assert answer.status_code == 201, answer.content
        assert made == [(world.admin.pk, alarm.pk, "泄漏点")]
    finally:
        hooks._CONVERTERS[:] = installed
