"""Rectification deadlines: reminders before, an overdue flag after, escalation up the chain
grid → township → department → county office (STANDARDS.md: "Past the deadline: overdue →
escalated supervision"). The overdue and escalation steps are a core.workflow DeadlineSweep
(one notice per step and entry into the state); the reminders are one daily job that groups
every hazard due soon per responsible person into one outbox message."""
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.roles import Role
from citysafe.core.workflow.deadlines import DeadlineSweep, Step
from citysafe.hazards.models import DEADLINE_STATES, Hazard
from citysafe.hazards.services.notices import people_of

REMIND_WITHIN = timedelta(days=3)  # reminder window before the deadline (common practice)
# Escalation chain and when each level takes over after the deadline (common practice; editable here).
ESCALATION = (
    ("grid", timedelta(0), (Role.GRID, Role.ENTERPRISE)),
    ("township", timedelta(days=3), (Role.TOWNSHIP,)),
    ("department", timedelta(days=7), (Role.DEPARTMENT,)),
    ("county", timedelta(days=15), (Role.ADMIN,)),
)
LABELS = {"grid": _("网格"), "township": _("乡镇"), "department": _("行业部门"), "county": _("县安委办")}


def send_escalations(hazards: list[Hazard], step: Step) -> None:
    """The sweep's set-based send (services/escalation.py): flag, level and one message per person."""
    from citysafe.hazards.services.escalation import escalate

    roles = next(roles for stage, _offset, roles in ESCALATION if stage == step.stage)
    escalate(hazards, step.stage, roles, LABELS[step.stage])


HAZARD_DEADLINES = DeadlineSweep(
    name="hazard_rectification", model=Hazard, state_field="status", states=set(DEADLINE_STATES),
    steps=tuple(Step(stage, offset) for stage, offset, _roles in ESCALATION), send_batch=send_escalations)


def due_soon(now=None):
    now = now or timezone.now()
    return Hazard.objects.filter(status__in=DEADLINE_STATES, archived_at__isnull=True, due_at__gt=now,
                                 due_at__lte=now + REMIND_WITHIN)


def send_grouped_reminders(now=None) -> int:
    """One message per responsible person (the enterprise's officers, the grid's workers) listing
    every hazard of theirs whose deadline falls within REMIND_WITHIN; once per person and day."""
    from citysafe.notifications.services import notify

    now = now or timezone.now()
    per_user: dict = defaultdict(list)
    users = {}
    for hazard in due_soon(now).order_by("due_at", "id").iterator():
        for user in people_of(hazard, (Role.ENTERPRISE, Role.GRID)):
            users[user.pk] = user
            per_user[user.pk].append(hazard)
    day = timezone.localdate(now)
    for pk, hazards in per_user.items():
        lines = [f"{h.code}：{h.description[:40]}（{_('期限')} {h.rectification_deadline}）" for h in hazards[:50]]
        notify(users[pk], kind="hazard_reminder",
               subject=_("%(n)s项隐患整改即将到期") % {"n": len(hazards)}, body="\n".join(lines),
               link=reverse("hazards:list", args=["hazards"]) + "?due=soon",
               payload={"hazards": [h.pk for h in hazards[:200]]}, dedupe_key=f"hazard-reminders:{pk}:{day}")
    return len(per_user)


def overdue_scan(now=None) -> int:
    """Mark overdue hazards (the sweep then escalates each once), audited one record each like
    the sweep's escalation (escalation.mark_escalated); returns how many."""
    from citysafe.hazards.services.escalation import mark_escalated

    now = now or timezone.now()
    with transaction.atomic():
        found = list(Hazard.objects.select_for_update().filter(
            status__in=DEADLINE_STATES, archived_at__isnull=True, due_at__lt=now, is_overdue=False))
        mark_escalated(found, {h.pk: h.escalation for h in found})
    return len(found)


def hazard_todo(user):
    """The home page's 待办 lines for hazards in the user's scope that wait for the user's role."""
    from citysafe.core import scope
    from citysafe.core.todo import TodoItem
    from citysafe.hazards.models import Status

    if not getattr(user, "is_authenticated", False) or user.role == Role.LEADER:
        return []
    visible = scope.narrow(user, Hazard.objects.all())
    url = reverse("hazards:list", args=["hazards"])
    items = []
    if user.role in (Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP):
        waiting = visible.filter(Q(status=Status.REGISTERED) | Q(status=Status.ACCEPTANCE_REQUESTED)).count()
        if waiting:
            items.append(TodoItem(title=_("待定级或待复查的隐患：%(n)s项") % {"n": waiting}, url=url, level="warning"))
    else:
        waiting = visible.filter(status__in=DEADLINE_STATES).count()
        if waiting:
            items.append(TodoItem(title=_("待整改的隐患：%(n)s项") % {"n": waiting}, url=url, level="warning"))
    overdue = visible.filter(status__in=DEADLINE_STATES, due_at__lt=timezone.now()).count()
    if overdue:
        items.append(TodoItem(title=_("逾期未整改的隐患：%(n)s项") % {"n": overdue}, url=url + "?is_overdue=true",
                              level="danger"))
    return items
