"""The alarm lifecycle (ThingsBoard's): active/cleared × unacknowledged/acknowledged, then
closed with a disposition note. Clearing is done by the readings (system) or by a person;
severity rising and falling is not a state change (services/alarms.py)."""
from django.utils.translation import gettext_lazy as _

from citysafe.core.roles import Role
from citysafe.core.workflow import Workflow
from citysafe.monitoring.models import AlarmStatus as S

HANDLERS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP, Role.ENTERPRISE}

ALARM_WORKFLOW = (
    Workflow("alarm", "status")
    .add("acknowledge", {S.ACTIVE_UNACK}, S.ACTIVE_ACK, HANDLERS, _("确认"))
    .add("acknowledge_cleared", {S.CLEARED_UNACK}, S.CLEARED_ACK, HANDLERS, _("确认"))
    .add("clear", {S.ACTIVE_UNACK}, S.CLEARED_UNACK, HANDLERS, _("解除"), system=True)
    .add("clear_acknowledged", {S.ACTIVE_ACK}, S.CLEARED_ACK, HANDLERS, _("解除"), system=True)
    .add("close", {S.CLEARED_ACK, S.CLEARED_UNACK, S.ACTIVE_ACK}, S.CLOSED, HANDLERS, _("关闭"),
         requires_note=True, fields={"disposition"})
)
ACKNOWLEDGE = {S.ACTIVE_UNACK: "acknowledge", S.CLEARED_UNACK: "acknowledge_cleared"}
CLEAR = {S.ACTIVE_UNACK: "clear", S.ACTIVE_ACK: "clear_acknowledged"}
