"""The incident workflow (突发事件): reported → responding → controlled → closed."""
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core.roles import Role
from citysafe.core.workflow import Context, Workflow
from citysafe.emergency.models import Incident, IncidentLog

S = Incident.Status
COMMANDERS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}


def summary_written(ctx: Context) -> str | None:
    if not (ctx.instance.summary or "").strip():
        return _("结束事件必须填写处置总结")
    return None


def log_transition(ctx: Context) -> None:
    text = _("状态变更为“%(status)s”（%(label)s）") % {"status": ctx.instance.get_status_display(),
                                                  "label": ctx.transition.label}
    if ctx.note:
        text += _("：%(note)s") % {"note": ctx.note}
    IncidentLog.objects.create(incident=ctx.instance, actor=ctx.actor, text=text)


def notify_township(ctx: Context) -> None:
    from citysafe.notifications.services import notify_many

    incident = ctx.instance
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    recipients = list(users.filter(role=Role.TOWNSHIP, organisation__area_id=incident.township_id)
                      .exclude(pk=getattr(ctx.actor, "pk", None)).order_by("id"))
    if recipients:
        notify_many(recipients, kind="incident_status", subject=_("突发事件%(title)s：%(status)s") % {
            "title": incident.title, "status": incident.get_status_display()},
            link=reverse("emergency:detail", args=["incidents", incident.pk]),
            payload={"incident": incident.pk, "event": ctx.event.pk}, dedupe_key=f"workflow-event:{ctx.event.pk}")


_EFFECTS = [log_transition, notify_township]

INCIDENT = (
    Workflow("incident", "status")
    .add("respond", {S.REPORTED}, S.RESPONDING, COMMANDERS, gettext_lazy("启动响应"), effects=_EFFECTS)
    .add("control", {S.RESPONDING}, S.CONTROLLED, COMMANDERS, gettext_lazy("确认已控制"), effects=_EFFECTS)
    .add("close", {S.RESPONDING, S.CONTROLLED}, S.CLOSED, COMMANDERS, gettext_lazy("结束事件"),
         fields={"summary"}, guards=[summary_written], effects=_EFFECTS)
)
