"""Incident command writes: transitions, dispatch orders (teams, materials, tasks), the log,
and raising an incident from another app's record. Each is one transaction with an audit record.

Issuing material never takes stock below zero, whoever else issues at the same moment: the
decrement is one conditional UPDATE (`… SET quantity = quantity - n WHERE quantity >= n`), so
of two orders for the last units exactly one matches a row; the other is refused with the
quantity still held. No read-then-write window exists, on SQLite or PostgreSQL."""
import math

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.core.validation import check_text
from citysafe.emergency.models import Dispatch, Incident, IncidentLog, Material, RescueTeam
from citysafe.emergency.workflows import INCIDENT

MAX_ISSUE = 10**9


def _error(field, message, code):
    return ValidationError({field: [ValidationError(message, code=code)]})


def _open_incident(actor, pk, *, lock=True) -> Incident:
    """The incident, in the actor's scope (404 outside), with the right to command it (403)."""
    if not scope.may(actor, Incident, scope.Action.CHANGE):
        raise PermissionDenied(_("您的角色不能调度突发事件"))
    queryset = scope.narrow(actor, Incident.objects.all())
    if lock:
        queryset = queryset.select_for_update()
    incident = queryset.get(pk=pk)  # Incident.DoesNotExist outside the scope: 404 on pages and API
    if incident.status == Incident.Status.CLOSED:
        raise _error("incident", _("事件已结束，不能再下达调度指令"), "closed")
    return incident


def _visible(actor, model, pk, field):
    try:
        return scope.narrow(actor, model.objects.all()).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise _error(field, _("所选的%(what)s不存在或不在您的数据范围内") % {
            "what": model._meta.verbose_name}, "not_found") from None


def _log(actor, incident, text):
    return IncidentLog.objects.create(incident=incident, actor=actor, text=text)


@transaction.atomic
def transition_incident(actor, pk, name: str, *, expected_version: int, note: str = "", summary: str | None = None):
    changes = {"summary": summary} if summary is not None else None
    return INCIDENT.apply(actor, Incident, pk, name, expected_version=expected_version, note=note, changes=changes)


@transaction.atomic
def dispatch_team(actor, incident_pk, team_pk, *, eta_seconds: float | None = None, note: str = "") -> Dispatch:
    incident = _open_incident(actor, incident_pk)
    team = _visible(actor, RescueTeam, team_pk, "team_id")
    if Dispatch.objects.filter(incident=incident, team=team).exclude(
            status__in=[Dispatch.Status.DONE, Dispatch.Status.CANCELLED]).exists():
        raise _error("team_id", _("该队伍已调派到本事件"), "duplicate")
    order = Dispatch.objects.create(incident=incident, kind=Dispatch.Kind.TEAM, team=team, ordered_by=actor,
                                    eta_seconds=eta_seconds, task=note[:200])
    minutes = f"{eta_seconds / 60:.0f}" if eta_seconds is not None and math.isfinite(eta_seconds) else "?"
    _log(actor, incident, _("调派队伍“%(team)s”，预计%(min)s分钟到达") % {"team": team.name, "min": minutes})
    record_change(actor=actor, action="dispatch_team", instance=incident, after={"dispatch": order.pk,
                                                                                 "team": team.pk})
    return order


def _quantity(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _error("quantity", _("数量必须是数字"), "number")
    if value <= 0:
        raise _error("quantity", _("调拨数量必须大于0"), "min_value")
    if value > MAX_ISSUE:
        raise _error("quantity", _("调拨数量过大"), "max_value")
    return float(value)


@transaction.atomic
def issue_material(actor, incident_pk, material_pk, quantity) -> Dispatch:
    """Issue `quantity` of a material to the incident; refused (nothing written) when the
    stockpile holds less."""
    quantity = _quantity(quantity)
    incident = _open_incident(actor, incident_pk)
    material = _visible(actor, Material, material_pk, "material_id")
    taken = Material.objects.filter(pk=material.pk, archived_at__isnull=True, quantity__gte=quantity).update(
        quantity=F("quantity") - quantity, version=F("version") + 1)
    if not taken:
        held = Material.objects.filter(pk=material.pk).values_list("quantity", flat=True).first() or 0
        raise _error("quantity", _("库存不足：%(name)s现有%(held)s%(unit)s，不能调拨%(n)s%(unit)s") % {
            "name": material.name, "held": f"{held:g}", "n": f"{quantity:g}", "unit": material.unit},
            "insufficient_stock")
    after = Material.objects.values_list("quantity", flat=True).get(pk=material.pk)
    order = Dispatch.objects.create(incident=incident, kind=Dispatch.Kind.MATERIAL, material=material,
                                    quantity=quantity, ordered_by=actor)
    _log(actor, incident, _("调拨物资“%(name)s”%(n)s%(unit)s（储备库：%(stockpile)s）") % {
        "name": material.name, "n": f"{quantity:g}", "unit": material.unit, "stockpile": material.stockpile.name})
    record_change(actor=actor, action="issue", instance=material, before={"quantity": after + quantity},
                  after={"quantity": after, "incident": incident.pk, "dispatch": order.pk})
    return order


@transaction.atomic
def add_task(actor, incident_pk, text: str) -> Dispatch:
    incident = _open_incident(actor, incident_pk)
    text = (text or "").strip()
    if not text:
        raise _error("task", _("任务内容不能为空"), "required")
    check_text(text, "task")
    order = Dispatch.objects.create(incident=incident, kind=Dispatch.Kind.TASK, task=text[:200], ordered_by=actor)
    _log(actor, incident, _("下达任务：%(task)s") % {"task": order.task})
    record_change(actor=actor, action="add_task", instance=incident, after={"dispatch": order.pk, "task": order.task})
    return order


@transaction.atomic
def set_dispatch_status(actor, dispatch_pk, status: str) -> Dispatch:
    if status not in Dispatch.Status.values:
        raise _error("status", _("状态无效"), "choice")
    order = scope.narrow(actor, Dispatch.objects.select_related("incident")).select_for_update().get(pk=dispatch_pk)
    _open_incident(actor, order.incident_id)
    before = order.status
    order.status = status
    order.save(update_fields=["status", "updated_at"])
    what = order.team.name if order.team_id else (order.material.name if order.material_id else order.task)
    _log(actor, order.incident, _("“%(what)s”状态：%(status)s") % {"what": what, "status": order.get_status_display()})
    record_change(actor=actor, action="dispatch_status", instance=order.incident,
                  before={"dispatch": order.pk, "status": before}, after={"dispatch": order.pk, "status": status})
    return order


@transaction.atomic
def add_log(actor, incident_pk, text: str) -> IncidentLog:
    incident = _open_incident(actor, incident_pk)
    text = (text or "").strip()
    if not text:
        raise _error("text", _("日志内容不能为空"), "required")
    check_text(text, "text", multiline=True)
    entry = _log(actor, incident, text[:2000])
    record_change(actor=actor, action="log", instance=incident, after={"log": entry.pk})
    return entry


def raise_incident(actor, source_record, *, title: str, incident_type: str, severity: str = "ordinary",
                   description: str = "", lon: float | None = None, lat: float | None = None) -> Incident:
    """Raise an incident from another app's record (an alarm, a hazard, a place): it takes the
    record's township, grid, enterprise and location unless given, and remembers where it came
    from. The caller must see the record; the incident's own rules (scope, fields) apply."""
    from citysafe.emergency.kinds import KIND_BY_KEY

    if not scope.narrow(actor, type(source_record).objects.filter(pk=source_record.pk)).exists():
        raise type(source_record).DoesNotExist
    lon = lon if lon is not None else getattr(source_record, "lon", None)
    lat = lat if lat is not None else getattr(source_record, "lat", None)
    data = {"title": title, "incident_type": incident_type, "severity": severity, "description": description,
            "township_id": getattr(source_record, "township_id", None), "lon": lon, "lat": lat}
    for name in ("grid_id", "enterprise_id"):
        if getattr(source_record, name, None):
            data[name] = getattr(source_record, name)
    owner = getattr(source_record, "owner_enterprise_id", None)
    if owner and "enterprise_id" not in data:
        data["enterprise_id"] = owner
    with transaction.atomic():
        incident = KIND_BY_KEY["incidents"].create(actor, data)
        Incident.objects.filter(pk=incident.pk).update(source_type=source_record._meta.label,
                                                       source_id=source_record.pk)
        incident.source_type, incident.source_id = source_record._meta.label, source_record.pk
        _log(actor, incident, _("由%(what)s“%(name)s”上报") % {"what": source_record._meta.verbose_name,
                                                           "name": str(source_record)})
    return incident
