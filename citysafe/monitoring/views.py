"""Monitoring pages: the wall (latest values, active alarms — refreshed by htmx polling — and
a map layer of sensors coloured by status), a sensor's chart, an alarm's page and its actions.
Thin: they call selectors and services only."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citysafe.core.concurrency import StaleRecord
from citysafe.core.workflow import TransitionError
from citysafe.core.workflow.views import posted_version
from citysafe.monitoring import map_layer, selectors
from citysafe.monitoring.models import Alarm, AlarmStatus, Sensor
from citysafe.monitoring.services import alarms as services
from citysafe.registry.map.viewport import BadViewport, unprocessable, viewport_from

STATUS_COLOURS = {0: "#009E73", 1: "#D55E00", 2: "#E69F00", 3: "#F0E442", -1: "#999999"}   # Okabe-Ito


def _wall_context(user):
    sensors = list(selectors.wall(user))
    for sensor in sensors:
        sensor.status = map_layer.sensor_status(sensor)
    active = list(selectors.alarms(user, active_only=True)[:100])
    vehicle_alarms = list(selectors.vehicle_alarms(user, active_only=True)[:100])
    both = active + vehicle_alarms
    return {"sensors": sensors, "active_alarms": active, "vehicle_alarms": vehicle_alarms,
            "top_level": min((a.level for a in both), default=0),
            "unacknowledged": sum(1 for a in both if a.status == AlarmStatus.ACTIVE_UNACK)}


@login_required
@require_GET
def wall(request):
    return render(request, "monitoring/wall.html", {
        **_wall_context(request.user),
        "wall_config": {"geojson": reverse("monitoring:sensors-geojson"), "colours": STATUS_COLOURS,
                        "vehicles": reverse("monitoring:vehicles-geojson"),
                        "text": {"alarm": _("有新的未确认报警"), "speed": _("公里/小时"), "replay": _("轨迹回放")}}})


@login_required
@require_GET
def wall_live(request):
    return render(request, "monitoring/_wall_live.html", _wall_context(request.user))


def _layer_response(request, build):
    try:
        viewport = viewport_from(request.GET)
    except BadViewport as error:
        return unprocessable(error)
    data = build(request.user, viewport, with_extent=request.GET.get("extent") == "1")
    response = JsonResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "private, no-cache"  # scoped data: never shared by a proxy
    return response


@login_required
@require_GET
def sensors_geojson(request):
    """Sensors coloured by status; view-aware with ?bbox=&zoom= (monitoring/map_layer.py)."""
    return _layer_response(request, map_layer.sensors_layer)


@login_required
@require_GET
def vehicles_geojson(request):
    """The newest position of every visible vehicle (两客一危); view-aware like the sensors."""
    return _layer_response(request, map_layer.vehicles_layer)


@login_required
@require_GET
def sensor_chart(request, pk):
    try:
        sensor = selectors.sensor_for(request.user, pk)
    except Sensor.DoesNotExist:
        raise Http404 from None
    return render(request, "monitoring/sensor.html", {
        "sensor": sensor, "alarms": selectors.alarms(request.user).filter(sensor=sensor)[:20],
        "chart_config": {"url": reverse("api-v1:sensor_readings", kwargs={"sensor_id": sensor.pk}), "unit": sensor.unit,
                         "labels": {"mean": _("平均值"), "min": _("最小值"), "max": _("最大值")}}})


@login_required
@require_GET
def alarm_detail(request, pk):
    try:
        alarm = selectors.alarm_for(request.user, pk)
    except Alarm.DoesNotExist:
        raise Http404 from None
    return render(request, "monitoring/alarm.html", {"alarm": alarm, "events": selectors.alarm_events(alarm)})


ACTIONS = {"acknowledge": services.acknowledge_alarm, "clear": services.clear_alarm, "close": services.close_alarm}


@login_required
@require_POST
def alarm_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](request.user, pk, expected_version=posted_version(request), note=request.POST.get("note", "").strip())
        messages.success(request, _("已完成"))
    except Alarm.DoesNotExist:
        raise Http404 from None
    except StaleRecord:
        messages.error(request, _("报警已被他人处理，请查看最新状态"))
    except (TransitionError, ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    return redirect("monitoring:alarm", pk=pk)
