"""A monitoring alarm becomes a hidden hazard (an alarm is one of the issue's sources). Registered
with citysafe.monitoring.hooks in HazardsConfig.ready(): monitoring sits below hazards in the
import layers, so it calls this through the hook and never imports the hazards app."""
from django.utils.translation import gettext as _

from citysafe.core.workflow import TransitionError
from citysafe.hazards.models import OPEN_STATES, Category, Hazard, Source

# What an alarm on a sensor of this type is a hazard of (sensor types: monitoring.models.devices).
CATEGORY_OF_SENSOR = {
    "gas": Category.GAS, "dust": Category.CHEMICALS, "temperature": Category.FIRE,
    "pressure": Category.SPECIAL_EQUIPMENT, "liquid_level": Category.CHEMICALS,
    "water_level": Category.FLOOD, "crowd": Category.OTHER,
}


def _parent_of(sensor) -> dict:
    """The sensor's site in the hazard's terms: a risk point, a place, an enterprise (an
    installation's own enterprise), else the grid or township the sensor stands in."""
    if sensor.risk_point_id:
        return {"risk_point_id": sensor.risk_point_id}
    if sensor.place_id:
        return {"place_id": sensor.place_id}
    if sensor.enterprise_id:
        return {"enterprise_id": sensor.enterprise_id}
    if sensor.installation_id:
        return {"enterprise_id": sensor.installation.enterprise_id}
    return {"area_id": sensor.grid_id or sensor.township_id}


def convert_alarm(actor, alarm, note: str = "") -> Hazard:
    """Register a hazard (source: alarm) at the alarm's site, located where the sensor is, linked
    to the alarm. An alarm already behind an open hazard is refused (one loop per alarm)."""
    from citysafe.hazards.services.hazards import create_hazard

    existing = Hazard.objects.filter(alarm_id=alarm.pk, status__in=OPEN_STATES, archived_at__isnull=True).first()
    if existing is not None:
        raise TransitionError(_("该报警已转为隐患%(code)s，不能重复转换") % {"code": existing.code or existing.pk})
    sensor = alarm.sensor
    description = _("监测报警：%(sensor)s（%(rule)s），触发值%(value)s，%(level)s级") % {
        "sensor": sensor.name, "rule": alarm.rule.name, "value": f"{alarm.value:g}", "level": alarm.level}
    data = {"source": Source.ALARM, "category": CATEGORY_OF_SENSOR.get(sensor.sensor_type, Category.OTHER),
            "description": f"{description}\n{note}".strip(), **_parent_of(sensor)}
    if sensor.lon is not None and sensor.lat is not None:
        data |= {"lon": sensor.lon, "lat": sensor.lat}
    return create_hazard(actor, data, alarm=alarm)
