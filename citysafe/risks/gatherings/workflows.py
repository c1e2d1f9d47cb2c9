"""The licence of a large gathering (条例第十一条—第十五条) on the workflow engine: the applicant
submits (20 days ahead, with the security and emergency plans), the licensing public security
organ licenses, returns for correction or refuses with reasons in writing; the applicant may
cancel. While a licensed gathering takes place it shows on the risk map with its level."""
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core.roles import Role
from citysafe.core.workflow import Context, Workflow
from citysafe.risks.models import Gathering

S = Gathering.Status
APPLICANTS = {Role.ADMIN, Role.TOWNSHIP, Role.ENTERPRISE}
LICENSING = {Role.DEPARTMENT}
DAYS_AHEAD = 20  # 条例第十三条: apply 20 days before the event
MUNICIPAL = 5000  # 条例第十二条


def plans_attached(ctx: Context) -> str | None:
    missing = [label for field, label in (("security_plan_id", _("安全工作方案")), ("emergency_plan_id", _("应急救援预案")))
               if not getattr(ctx.instance, field)]
    return _("申请须附%(missing)s（条例第六条、第十三条）") % {"missing": "、".join(missing)} if missing else None


def early_enough(ctx: Context) -> str | None:
    if ctx.instance.starts_at < timezone.now() + timedelta(days=DAYS_AHEAD):
        return _("须在活动举办日的20日前提出安全许可申请（条例第十三条）")
    return None


def own_authority(ctx: Context) -> str | None:
    if ctx.instance.authority_id != getattr(ctx.actor, "organisation_id", None):
        return _("只有申请所指定的许可机关可以审批")
    return None


def within_county_licence(ctx: Context) -> str | None:
    if ctx.instance.expected_attendance > MUNICIPAL:
        return _("预计参加人数5000人以上，由设区的市级公安机关实施安全许可（条例第十二条）")
    return None


def venue_holds_the_crowd(ctx: Context) -> str | None:
    codes = {reason.get("code") for reason in ctx.instance.risk_reasons or []}
    if codes & {"over_capacity", "too_few_exits", "exits_far_too_narrow"}:
        return _("活动场所不符合安全要求（人数超过容量或安全出口不足），不能许可（条例第十一条）")
    return None


def record_decision(ctx: Context) -> None:
    Gathering.objects.filter(pk=ctx.instance.pk).update(decision_note=ctx.note or "")


def notify_applicant(ctx: Context) -> None:
    from django.urls import reverse

    from citysafe.notifications.services import notify_many

    applicant = ctx.instance.created_by
    if applicant is None or not applicant.is_active or applicant.pk == getattr(ctx.actor, "pk", None):
        return
    notify_many([applicant], kind="gathering_decision",
                subject=_("大型活动安全许可：%(name)s %(outcome)s") % {"name": ctx.instance.name,
                                                                "outcome": ctx.transition.title},
                body=ctx.note or "", link=reverse("gatherings:detail", args=["gatherings", ctx.instance.pk]),
                payload={"gathering": ctx.instance.pk}, dedupe_key=f"workflow-event:{ctx.event.pk}")


GATHERING_LICENCE = (
    Workflow("gathering_licence", "status")
    .add("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, APPLICANTS, gettext_lazy("提交申请"),
         guards=[plans_attached, early_enough])
    .add("approve", {S.SUBMITTED}, S.APPROVED, LICENSING, gettext_lazy("准予许可"),
         guards=[own_authority, within_county_licence, venue_holds_the_crowd],
         effects=[record_decision, notify_applicant])
    .add("return", {S.SUBMITTED}, S.RETURNED, LICENSING, gettext_lazy("退回补正"), requires_note=True,
         guards=[own_authority], effects=[record_decision, notify_applicant])
    .add("refuse", {S.SUBMITTED}, S.REFUSED, LICENSING, gettext_lazy("不予许可"), requires_note=True,
         guards=[own_authority], effects=[record_decision, notify_applicant])
    .add("cancel", {S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED}, S.CANCELLED, APPLICANTS,
         gettext_lazy("取消活动"), requires_note=True)
)
