"""The list entry's workflow (安全生产严重失信主体名单): proposed → approved (by someone other than
the proposer) → the subject notified (告知, with its period to state and defend) → published
(joint-punishment notices to the departments concerned) → credit repair (application, review,
removal) or expiry after the publication period (the daily job, as the system actor).

The dates each step records are computed by services/entries.py and passed as the transition's
`fields`; the guards here check them against the entry's criterion, so a refused step names
the rule and changes nothing."""
from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core.roles import Role
from citysafe.core.workflow import Workflow
from citysafe.credit.models import ListEntry
from citysafe.credit.notices import tell_departments, tell_subject

S = ListEntry.Status
APPROVERS = {Role.ADMIN, Role.DEPARTMENT}
GOVERNMENT = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
RULE = "《安全生产严重失信主体名单管理办法》"


def not_by_proposer(ctx) -> str | None:
    if ctx.instance.proposed_by_id is not None and ctx.instance.proposed_by_id == getattr(ctx.actor, "pk", None):
        return _("列入名单须由提出人以外的人员审批（审批与提出分离）")
    return None


def objection_period_passed(ctx) -> str | None:
    entry, days = ctx.instance, ctx.instance.criterion.objection_days
    if entry.notified_on is None or entry.published_on < entry.notified_on + relativedelta(days=days):
        return _("告知当事人后须满%(days)s日陈述申辩期方可公布（%(rule)s；告知日期：%(date)s）") % {
            "days": days, "rule": RULE, "date": entry.notified_on}
    return None


def minimum_publication_passed(ctx) -> str | None:
    entry, months = ctx.instance, ctx.instance.criterion.repair_after_months
    earliest = entry.published_on + relativedelta(months=months)
    if entry.repair_applied_on < earliest:
        return _("公布满%(months)s个月后方可申请信用修复（%(rule)s），最早可于%(date)s申请") % {
            "months": months, "rule": RULE, "date": earliest}
    return None


def repair_reason_given(ctx) -> str | None:
    if not (ctx.instance.repair_reason or "").strip():
        return _("申请信用修复须说明已履行的整改、处罚等义务（修复理由）")
    return None


LIST_ENTRY = (
    Workflow("credit_list_entry", "status")
    .add("approve", {S.PROPOSED}, S.APPROVED, APPROVERS, gettext_lazy("审批同意列入"), guards=[not_by_proposer])
    .add("reject", {S.PROPOSED, S.APPROVED, S.NOTIFIED}, S.REJECTED, APPROVERS, gettext_lazy("不予列入"),
         requires_note=True)
    .add("notify", {S.APPROVED}, S.NOTIFIED, GOVERNMENT, gettext_lazy("告知当事人"), fields={"notified_on"},
         effects=[tell_subject])
    .add("publish", {S.NOTIFIED}, S.PUBLISHED, APPROVERS, gettext_lazy("公布并通报联合惩戒"),
         fields={"published_on", "expires_on"}, guards=[objection_period_passed], effects=[tell_departments])
    .add("apply_repair", {S.PUBLISHED}, S.REPAIR_APPLIED, {Role.ENTERPRISE, Role.ADMIN}, gettext_lazy("申请信用修复"),
         fields={"repair_reason", "repair_applied_on"}, guards=[repair_reason_given, minimum_publication_passed])
    .add("approve_repair", {S.REPAIR_APPLIED}, S.REMOVED, APPROVERS, gettext_lazy("同意修复并移出名单"),
         fields={"removed_on"}, effects=[tell_departments])
    .add("reject_repair", {S.REPAIR_APPLIED}, S.PUBLISHED, APPROVERS, gettext_lazy("驳回修复申请"),
         requires_note=True)
    .add("expire", {S.PUBLISHED, S.REPAIR_APPLIED}, S.EXPIRED, set(), gettext_lazy("公布期满移出"),
         fields={"removed_on"}, system=True, effects=[tell_departments])
)
