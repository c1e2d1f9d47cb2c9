"""Level 1/2 alarms reach the township's officers by SMS as well as the inbox (when the SMS
channel is configured); level 3 stays in the inbox."""
import time

import pytest

from citysafe.monitoring.models import Alarm, Sensor
from citysafe.monitoring.services import alarms as services
from citysafe.monitoring.services.ingest import Credential, ingest
from citysafe.notifications.models import Notification


def send(sensor, values, start):
    return ingest(Credential(), [(sensor.code, start + 10 * i, v) for i, v in enumerate(values)])


@pytest.fixture
def gas(world):
    return Sensor.objects.filter(sensor_type="gas").order_by("id").first()


@pytest.fixture
def officer(gas):
    from django.contrib.auth import get_user_model

    from citysafe.core.roles import Role

    user = get_user_model().objects.filter(role=Role.TOWNSHIP, organisation__area_id=gas.township_id,
                                           is_active=True).order_by("id").first()
    user.phone = "13900004444"
    user.save(update_fields=["phone"])
    return user


def _rows(user, channel):
    return Notification.objects.filter(kind=services.NOTIFY_KIND, channel=channel, recipient=user)


def test_a_level_two_gas_alarm_reaches_the_township_officer_by_sms_and_inbox(gas, officer):
    send(gas, [5, 30, 31], int(time.time()) - 600)     # 25 %LEL: level 2
    alarm = Alarm.objects.get(sensor=gas)
    assert alarm.level == 2
    sms = _rows(officer, "sms")
    assert sms.count() == 1 and sms.get().link == f"/monitoring/alarms/{alarm.pk}/"
    assert _rows(officer, "inbox").count() == 1


def test_a_level_three_no_data_alarm_stays_in_the_inbox(gas, officer):
    from citysafe.monitoring.services.offline import sweep_offline

    start = int(time.time()) - 100
    send(gas, [5], start)
    sweep_offline(now=start + 700)                     # 10 minutes silent: level 3
    assert Alarm.objects.get(sensor=gas, rule__kind="offline").level == 3
    assert _rows(officer, "inbox").exists()
    assert not _rows(officer, "sms").exists()


def test_without_the_sms_channel_configured_a_level_one_alarm_writes_no_sms_row(gas, officer, settings):
    settings.NOTIFICATION_CHANNELS = {k: v for k, v in settings.NOTIFICATION_CHANNELS.items() if k != "sms"}
    send(gas, [60, 61], int(time.time()) - 600)        # level 1
    assert Alarm.objects.get(sensor=gas).level == 1
    assert _rows(officer, "inbox").exists()
    assert not Notification.objects.filter(channel="sms").exists()
