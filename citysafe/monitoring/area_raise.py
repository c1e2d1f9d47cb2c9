"""An active level-1 alarm raises its area on the risk map while it lasts (issue 7's
`raise_area`), through the alarm listener hook: the sensor's grid and township are raised to
重大 (level 1) with the alarm as the source; the raise ends when the alarm falls below level 1,
clears or closes."""
from django.utils.translation import gettext as _

TOP_LEVEL = 1
RISK_LEVEL = 1   # 重大 (red): the highest risk level


def _areas(alarm):
    sensor = alarm.sensor
    return [pk for pk in (sensor.grid_id, sensor.township_id) if pk]


def on_alarm(alarm, event: str) -> None:
    from citysafe.monitoring.models import Alarm
    from citysafe.risks.services.area_levels import clear_raise, raise_area

    source = f"monitoring.Alarm:{alarm.pk}"
    # decided by the alarm's state, not the event: the same call reconciles a raise that a
    # killed process left undone (services/alarms.reconcile_follow_ups)
    holds = alarm.is_active and alarm.level == TOP_LEVEL
    if holds and not alarm.area_raised:
        reason = _("一级报警：%(sensor)s") % {"sensor": alarm.sensor.name}
        for area in _areas(alarm):
            raise_area(area, RISK_LEVEL, reason, source)
        Alarm.objects.filter(pk=alarm.pk).update(area_raised=True)
        alarm.area_raised = True
    elif not holds and alarm.area_raised:
        for area in _areas(alarm):
            clear_raise(area, source, _("报警已降级或解除"))
        Alarm.objects.filter(pk=alarm.pk).update(area_raised=False)
        alarm.area_raised = False
