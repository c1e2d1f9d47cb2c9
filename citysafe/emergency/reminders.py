"""Reminders: materials below minimum stock or near expiry, plans overdue for review, drills
and improvement actions past their date — on the home page's 待办 (core.todo, per user's
scope) and, once a day, through the outbox to the township officers concerned."""
from datetime import timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from citysafe.core import scope
from citysafe.core.todo import TodoItem
from citysafe.emergency.models import Drill, ImprovementAction, Material, Plan
from citysafe.emergency.rules import NEAR_EXPIRY_DAYS

TODO_LIMIT = 10


def _today():
    return timezone.localdate()


def low_or_expiring(queryset):
    soon = _today() + timedelta(days=NEAR_EXPIRY_DAYS)
    return queryset.filter(archived_at__isnull=True).filter(
        Q(quantity__lt=F("minimum_stock")) | Q(expires_on__lte=soon))


def overdue_plans(queryset):
    return queryset.filter(archived_at__isnull=True, status=Plan.Status.APPROVED, review_due__lt=_today())


def overdue_drills(queryset):
    return queryset.filter(archived_at__isnull=True, held_on__isnull=True, planned_on__lt=_today())


def overdue_actions(queryset):
    return queryset.filter(archived_at__isnull=True, status=ImprovementAction.Status.OPEN, due_on__lt=_today())


def material_problem(material) -> str:
    if material.quantity < material.minimum_stock:
        return _("低于最低库存（%(q)s/%(min)s%(unit)s）") % {
            "q": f"{material.quantity:g}", "min": f"{material.minimum_stock:g}", "unit": material.unit}
    return _("临近或已过有效期（%(d)s）") % {"d": material.expires_on}


def _items(user):
    """(title, url, level) of everything overdue the user may see, materials first."""
    found = []
    for material in low_or_expiring(scope.narrow(user, Material.objects.all())).order_by("id")[:TODO_LIMIT]:
        found.append((_("应急物资“%(name)s”%(problem)s") % {"name": material.name, "problem": material_problem(material)},
                      reverse("emergency:detail", args=["materials", material.pk]), "warning"))
    for plan in overdue_plans(scope.narrow(user, Plan.objects.all())).order_by("review_due")[:TODO_LIMIT]:
        found.append((_("应急预案“%(name)s”已超过评估期限（%(d)s）") % {"name": plan.name, "d": plan.review_due},
                      reverse("emergency:detail", args=["plans", plan.pk]), "danger"))
    for drill in overdue_drills(scope.narrow(user, Drill.objects.all())).order_by("planned_on")[:TODO_LIMIT]:
        found.append((_("应急演练“%(name)s”计划于%(d)s，尚未实施") % {"name": drill.name, "d": drill.planned_on},
                      reverse("emergency:detail", args=["drills", drill.pk]), "warning"))
    for action in overdue_actions(scope.narrow(user, ImprovementAction.objects.all())).order_by("due_on")[:TODO_LIMIT]:
        found.append((_("演练改进措施“%(name)s”已逾期（%(d)s）") % {"name": action.description, "d": action.due_on},
                      reverse("emergency:detail", args=["drill-actions", action.pk]), "danger"))
    return found


def stock_todo(user) -> list[TodoItem]:
    return [TodoItem(title=title, url=url, level=level) for title, url, level in _items(user)]


def send_reminders() -> int:
    """Notify each township officer of what is overdue in their scope, once a day (dedupe key)."""
    from citysafe.accounts.models import User
    from citysafe.core.roles import Role
    from citysafe.notifications.services import notify

    sent, day = 0, _today().isoformat()
    officers = User.objects.filter(is_active=True, role__in=[Role.TOWNSHIP, Role.ENTERPRISE]).order_by("id")
    for user in officers:
        items = _items(user)
        if not items:
            continue
        body = "\n".join(title for title, _url, _level in items)
        notify(user, kind="emergency.reminder", subject=_("应急资源与预案提醒（%(n)s项）") % {"n": len(items)},
               body=body, link=items[0][1], dedupe_key=f"emergency-reminder:{user.pk}:{day}")
        sent += 1
    return sent


@task()
def send_emergency_reminders() -> int:
    from citysafe.core.audit import audit_channel
    from citysafe.core.audit_models import AuditChannel

    with audit_channel(AuditChannel.WORKER):
        return send_reminders()


def register_reminders() -> None:
    from citysafe.core.scheduler import register_job

    register_job("emergency reminders", send_emergency_reminders, cron={"hour": 8, "minute": 0})
