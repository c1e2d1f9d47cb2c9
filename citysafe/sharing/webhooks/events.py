"""The events a subscriber can choose, read from the audit actions of the apps that own the
records (hazards, monitoring, early_warning, emergency). Nothing in those apps knows about
webhooks: every state change is audited there, and the fan-out reads the audit chain.

Hazard escalation: grading a hazard as major (重大隐患) and listing it for supervision
(挂牌督办). Overdue: the deadline sweep flagging a hazard overdue or taking it up a level
(audit action `escalate`, hazards.services.escalation.mark_escalated, one record per hazard).
"""
from django.utils.translation import gettext_lazy as _

HAZARD, ALARM, WARNING, INCIDENT = "hazards.Hazard", "monitoring.Alarm", "early_warning.Warning", "emergency.Incident"


def _action(*names):
    return lambda action, before, after: action in names


def _graded_major(action, before, after):
    return (action == "transition:grade" and (after or {}).get("grade") == "major") or action == "list_for_supervision"


# event name -> (audit object_type, test on (action, before, after), label)
EVENTS = {
    "hazard.registered": (HAZARD, lambda action, b, a: action == "create" or action.startswith("create:"),
                          _("隐患登记")),
    "hazard.escalated": (HAZARD, _graded_major, _("隐患升级（定为重大隐患、挂牌督办）")),
    "hazard.overdue": (HAZARD, _action("escalate"), _("隐患逾期（逐级督办）")),
    "hazard.closed": (HAZARD, _action("transition:reinspect_pass", "create:fixed_on_spot"), _("隐患销号")),
    "alarm.raised": (ALARM, _action("create"), _("报警产生")),
    "alarm.cleared": (ALARM, _action("transition:clear", "transition:clear_acknowledged"), _("报警解除")),
    "warning.published": (WARNING, _action("transition:publish"), _("预警发布")),
    "warning.cancelled": (WARNING, _action("transition:withdraw"), _("预警解除")),
    "incident.opened": (INCIDENT, _action("create"), _("事件接报")),
    "incident.closed": (INCIDENT, _action("transition:close"), _("事件结束")),
}
EVENT_NAMES = tuple(EVENTS)
OBJECT_TYPES = tuple(sorted({label for label, _test, _label in EVENTS.values()}))


def events_of(object_type: str, action: str, before, after) -> list[str]:
    return [name for name, (label, test, _label) in EVENTS.items() if label == object_type and test(action, before, after)]


def choices() -> list[tuple[str, str]]:
    return [(name, str(label)) for name, (_t, _test, label) in EVENTS.items()]
