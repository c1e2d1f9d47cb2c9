"""Vehicle pages (两客一危): the restricted-zone map (禁行区, drawn and edited as polygons with
Leaflet.draw; saving goes through services/zones.py) and a vehicle's track replay for a time
range. Thin: selectors and services only."""
import json
from datetime import UTC, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citysafe.core import scope
from citysafe.core.concurrency import StaleRecord
from citysafe.core.workflow.views import posted_version
from citysafe.monitoring import selectors
from citysafe.monitoring.models import RestrictedZone, Vehicle
from citysafe.monitoring.services import zones as zone_services

DEFAULT_REPLAY_HOURS = 2


def _zone_feature(zone) -> dict:
    ring = zone.polygon or None
    return {"id": zone.pk, "name": zone.name, "polygon": ring, "centre": [zone.lat, zone.lon],
            "radius": zone.radius_m, "start_hour": zone.start_hour, "end_hour": zone.end_hour,
            "applies_to_all": zone.applies_to_all, "is_enabled": zone.is_enabled, "version": zone.version}


@login_required
@require_GET
def zones(request):
    items = list(selectors.zones())
    return render(request, "monitoring/zones.html", {
        "zones": items, "may_edit": scope.may(request.user, RestrictedZone, scope.Action.CHANGE),
        "zones_config": {"zones": [_zone_feature(z) for z in items],
                         "text": {"all_day": _("全天"), "draw": _("绘制禁行区"), "edit": _("编辑边界"),
                                  "delete": _("删除边界"), "hours": _("禁行时段")}}})


def _zone_data(post) -> dict:
    data = {"name": post.get("name", "").strip(), "applies_to_all": post.get("applies_to_all") == "on",
            "is_enabled": post.get("is_enabled") == "on"}
    for name in ("start_hour", "end_hour"):
        data[name] = post.get(name, "0").strip() or "0"
    try:
        data["polygon"] = json.loads(post.get("polygon") or "[]")
    except ValueError:
        data["polygon"] = "invalid"
    return data


@login_required
@require_POST
def zone_save(request):
    pk = request.POST.get("zone_id") or None
    try:
        if request.POST.get("archive") and pk:
            zone_services.archive_zone(request.user, int(pk))
            messages.success(request, _("禁行区已删除"))
            return redirect("monitoring:zones")
        data = _zone_data(request.POST)
        if pk:
            zone_services.update_zone(request.user, int(pk), data, expected_version=posted_version(request))
        else:
            zone_services.create_zone(request.user, data)
        messages.success(request, _("禁行区已保存"))
    except RestrictedZone.DoesNotExist:
        raise Http404 from None
    except StaleRecord:
        messages.error(request, _("该禁行区已被他人修改，请刷新后重试"))
    except ValidationError as exc:
        messages.error(request, "；".join(_describe(exc)))
    except PermissionDenied:
        messages.error(request, _("无权修改禁行区"))
    return redirect("monitoring:zones")


def _describe(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        labels = {f.name: str(f.verbose_name) for f in RestrictedZone._meta.fields}
        return [f"{labels.get(field, field)}：{m}" for field, errors in exc.error_dict.items()
                for e in errors for m in e.messages]
    return exc.messages


def _moment(text: str | None, default: datetime) -> datetime:
    """A datetime-local value (Beijing time, the users' zone) or the default."""
    if not text:
        return default
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return default
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@login_required
@require_GET
def vehicle_replay(request, pk):
    try:
        vehicle = selectors.vehicle_for(request.user, pk)
    except Vehicle.DoesNotExist:
        raise Http404 from None
    newest = datetime.fromtimestamp(vehicle.last_ts, tz=UTC) if vehicle.last_ts else timezone.now()
    end = _moment(request.GET.get("end"), newest)
    start = _moment(request.GET.get("start"), end - timedelta(hours=DEFAULT_REPLAY_HOURS))
    if start > end:
        start, end = end, start
        messages.warning(request, _("开始时间晚于结束时间，已交换"))
    track = selectors.vehicle_track(vehicle, start, end)
    alarms = list(selectors.vehicle_alarms_between(vehicle, start, end))
    local = timezone.localtime
    return render(request, "monitoring/replay.html", {
        "vehicle": vehicle, "track_count": len(track), "alarms": alarms, "truncated": len(track) >= selectors.TRACK_LIMIT,
        "start": local(start).strftime("%Y-%m-%dT%H:%M"), "end": local(end).strftime("%Y-%m-%dT%H:%M"),
        "replay_config": {
            "track": track, "route": [[lat, lon] for lon, lat in (vehicle.route or [])],
            "zones": [_zone_feature(z) for z in selectors.zones() if z.is_enabled],
            "limit": vehicle.speed_limit,
            "alarms": [{"t": a.started_at.timestamp(), "kind": a.get_kind_display()} for a in alarms],
            "text": {"play": _("播放"), "pause": _("暂停"), "speed": _("公里/小时"), "none": _("该时段没有定位数据"),
                     "route": _("核定路线"), "over": _("超速")},
            "detail": reverse("monitoring:detail", args=["vehicles", vehicle.pk])}})
