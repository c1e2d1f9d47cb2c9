"""Enterprise operating status: relocation and closure tracking (REQUIREMENTS.md C6), the
first user of the workflow toolkit (core.workflow): a required version, a guard, effects
that tell the enterprise and its township, and a deadline on suspensions with a sweep."""
from datetime import date, timedelta
from typing import Optional

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, field_validator

from citysafe.core.roles import Role
from citysafe.core.workflow import Context, Workflow
from citysafe.core.workflow.deadlines import DeadlineSweep, Step
from citysafe.registry.counties import people_of_county, record_county
from citysafe.registry.models import Enterprise

S = Enterprise.OperatingStatus
REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
NOTIFY_KIND = "enterprise_status"


class SuspensionPayload(BaseModel):
    """责令停产整顿: an optional rectification deadline (整改期限), the last day to fix it."""

    model_config = ConfigDict(extra="forbid")
    deadline: Optional[date] = Field(None, description="整改期限（日期），到期未恢复生产则提醒乡镇")

    @field_validator("deadline")
    @classmethod
    def _in_future(cls, value):
        if value is not None and value < timezone.localdate():
            raise ValueError(_("整改期限不能早于今天"))
        return value


# ---- guards ----------------------------------------------------------------------------

def new_address_given(ctx: Context) -> str | None:
    """Finishing a relocation records where the enterprise went: a new, non-empty address."""
    new = (ctx.instance.address or "").strip()
    if not new or new == (ctx.before.get("address") or "").strip():
        return _("完成搬迁必须填写搬迁后的新地址")
    return None


# ---- effects ---------------------------------------------------------------------------

def _people_to_tell(enterprise: Enterprise):
    """The enterprise's own officers and the township officers of its township (active users)."""
    users = get_user_model().objects.filter(is_active=True)
    officers = users.filter(role=Role.ENTERPRISE, enterprise_id=enterprise.pk)
    township = users.filter(role=Role.TOWNSHIP, organisation__area_id=enterprise.township_id)
    return list(officers.union(township).order_by("id"))


def _link(enterprise: Enterprise) -> str:
    return reverse("registry:detail", args=["enterprises", enterprise.pk])


def notify_status_change(ctx: Context) -> None:
    """Tell the enterprise's officers and its township, in the transition's transaction (the
    outbox rows commit or roll back with the change)."""
    from citysafe.notifications.services import notify_many

    enterprise = ctx.instance
    recipients = _people_to_tell(enterprise)
    if not recipients:
        return
    status = enterprise.get_operating_status_display()
    body = _("%(enterprise)s 的经营状态已变更为“%(status)s”（%(label)s）。") % {
        "enterprise": enterprise.name, "status": status, "label": ctx.transition.title}
    if enterprise.due_at:
        body += _("整改期限：%(deadline)s。") % {"deadline": timezone.localtime(enterprise.due_at).strftime("%Y-%m-%d")}
    if ctx.note:
        body += _("说明：%(note)s") % {"note": ctx.note}
    notify_many(recipients, kind=NOTIFY_KIND, subject=_("经营状态变更：%(enterprise)s %(status)s") % {
        "enterprise": enterprise.name, "status": status}, body=body, link=_link(enterprise),
        payload={"enterprise": enterprise.pk, "transition": ctx.transition.name, "event": ctx.event.pk},
        dedupe_key=f"workflow-event:{ctx.event.pk}")


ENTERPRISE_STATUS = (
    Workflow("enterprise_status", "operating_status")
    .add("suspend", {S.OPERATING}, S.SUSPENDED, REGULATORS, gettext_lazy("责令停产整顿"), requires_note=True,
         payload=SuspensionPayload, effects=[notify_status_change])
    .add("resume", {S.SUSPENDED}, S.OPERATING, REGULATORS, gettext_lazy("恢复生产"), effects=[notify_status_change])
    .add("start_relocation", {S.OPERATING, S.SUSPENDED}, S.RELOCATING, REGULATORS, gettext_lazy("启动搬迁改造"),
         effects=[notify_status_change])
    .add("finish_relocation", {S.RELOCATING}, S.RELOCATED, REGULATORS, gettext_lazy("完成搬迁"),
         fields={"address"}, guards=[new_address_given], effects=[notify_status_change])
    .add("close", {S.OPERATING, S.SUSPENDED, S.RELOCATING}, S.CLOSED, {Role.ADMIN, Role.DEPARTMENT},
         gettext_lazy("关闭取缔"), requires_note=True, effects=[notify_status_change])
)


# ---- deadlines -------------------------------------------------------------------------

def notify_suspension_deadline(enterprise: Enterprise, step: Step) -> None:
    """Reminder (a day before): the enterprise and its township; overdue: the township;
    three days overdue: the county safety office (admins) as well."""
    from citysafe.notifications.services import notify_many

    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    township = users.filter(role=Role.TOWNSHIP, organisation__area_id=enterprise.township_id)
    officers = users.filter(role=Role.ENTERPRISE, enterprise_id=enterprise.pk)
    deadline = timezone.localtime(enterprise.due_at).strftime("%Y-%m-%d")
    if step.stage == "reminder":
        recipients = officers.union(township)
        subject = _("停产整顿期限将至：%(enterprise)s（%(deadline)s）")
    elif step.stage == "overdue":
        recipients = township
        subject = _("停产整顿已超期：%(enterprise)s（期限%(deadline)s）")
    else:
        office = people_of_county(users, record_county(enterprise.township_id))  # its own county's office
        recipients = township.union(office.filter(role=Role.ADMIN))
        subject = _("停产整顿超期未处理，请督办：%(enterprise)s（期限%(deadline)s）")
    recipients = list(recipients.order_by("id"))
    if recipients:
        notify_many(recipients, kind="enterprise_suspension_deadline",
                    subject=subject % {"enterprise": enterprise.name, "deadline": deadline},
                    link=_link(enterprise), payload={"enterprise": enterprise.pk, "stage": step.stage})


SUSPENSION_DEADLINE = DeadlineSweep(
    name="enterprise_suspension_deadline", model=Enterprise, state_field="operating_status",
    states={S.SUSPENDED}, send=notify_suspension_deadline,
    steps=(Step("reminder", timedelta(hours=-24)), Step("overdue", timedelta(0)),
           Step("escalate", timedelta(days=3))),
)
