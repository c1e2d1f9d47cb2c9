"""The warning workflow (C11): draft → departmental review → approval by the authority the
level requires (ApprovalRule, editable) → published → updated / cancelled / expired.

An update or a cancellation is a new version (a new row, `previous` → the version it
replaces) that runs the same workflow; publishing it retires the previous version through
a system transition. Expiry is the system's, by the periodic job in tasks.py."""
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core import scope
from citysafe.core.models import WorkflowEvent
from citysafe.core.roles import Role
from citysafe.core.workflow import Context, Workflow
from citysafe.early_warning.models import DEFAULT_APPROVERS, ApprovalRule, Level, MessageType, Warning

S = Warning.Status
# The prefecture office drafts, approves and publishes the warnings it issues for its whole area
# (core.scope lets it write no county's warning).
DRAFTERS = {Role.ADMIN, Role.DEPARTMENT, Role.PREFECTURE}
APPROVERS = {Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.PREFECTURE}


def approver_roles(level: int, warning: Warning | None = None, user=None) -> list[str]:
    """The roles the approval rule of `level` names: the rule of the county the warning's
    issuing organisation belongs to (several counties in one deployment; one county: its rule).
    A warning of an office above the counties (the prefecture's own) follows the defaults."""
    default = [str(r) for r in DEFAULT_APPROVERS[Level(level)]]
    rules = ApprovalRule.objects.filter(level=level)
    if warning is not None and user is not None and not scope.counties_of(user).single:
        from citysafe.accounts.models import Organisation
        from citysafe.registry.counties import county_rows_q

        area_id, county_id = Organisation.objects.filter(pk=warning.issuing_department_id).values_list(
            "area", "area__county").first() or (None, None)
        if area_id is not None and county_id is None:
            return default
        rule = rules.filter(county_rows_q(county_id)).order_by(F("county").asc(nulls_last=True)).first()
    else:  # one county, or no warning named: the home county's rule (kept without a county, or the first's)
        rule = rules.order_by(F("county").asc(nulls_first=True)).first()
    return list(rule.roles) if rule is not None else default


def level_authority(ctx: Context) -> str | None:
    """Only a role the level's approval rule names may approve it (红/橙: county leader)."""
    roles = approver_roles(ctx.instance.level, ctx.instance, ctx.actor)
    if ctx.actor.role not in roles:
        return _("%(level)s预警须由%(roles)s审批") % {
            "level": ctx.instance.get_level_display(),
            "roles": "、".join(str(Role(r).label) for r in roles if r in Role.values)}
    return None


def approved_by_authority(ctx: Context) -> str | None:
    """Publishing needs an approval, since the last return to draft, by a role allowed for
    the level as it stands now (a level changed after approval needs a new one)."""
    events = WorkflowEvent.objects.filter(workflow=WARNING.name, object_type=Warning._meta.label,
                                          object_id=ctx.instance.pk).order_by("-at", "-id")
    roles = approver_roles(ctx.instance.level, ctx.instance, ctx.actor)
    for event in events:
        if event.transition == "return_to_draft":
            break
        if event.transition == "approve" and event.actor is not None and event.actor.role in roles:
            return None
    return _("未经审批的预警不能发布")


def still_running(ctx: Context) -> str | None:
    from django.utils import timezone

    if ctx.instance.expires <= timezone.now():
        return _("预警已过失效时间，不能发布")
    previous = ctx.instance.previous
    if previous is not None and previous.status != S.PUBLISHED:
        return _("被更新或解除的上一版本已不在发布状态")
    return None


def retire_previous(ctx: Context) -> None:
    """A published Update / Cancel retires the version it replaces (system transition)."""
    from citysafe.core.workflow.system import as_system

    warning = ctx.instance
    if warning.previous_id is None or warning.msg_type == MessageType.ALERT:
        return
    name = "supersede" if warning.msg_type == MessageType.UPDATE else "withdraw"
    previous = Warning.objects.get(pk=warning.previous_id)
    with as_system() as system:
        WARNING.apply(system, Warning, previous.pk, name, expected_version=previous.version,
                      note=_("由第%(n)d版取代") % {"n": warning.revision})


def start_delivery(ctx: Context) -> None:
    """Targeting and the outbox rows are written by a job enqueued in this transaction."""
    from citysafe.early_warning.tasks import fan_out_warning

    fan_out_warning.enqueue(ctx.instance.pk)


WARNING = (
    Workflow("warning", "status")
    .add("submit", {S.DRAFT}, S.REVIEWING, DRAFTERS, gettext_lazy("提交部门审核"))
    .add("pass_review", {S.REVIEWING}, S.APPROVING, DRAFTERS, gettext_lazy("部门审核通过"))
    .add("return_to_draft", {S.REVIEWING, S.APPROVING, S.APPROVED}, S.DRAFT, APPROVERS,
         gettext_lazy("退回修改"), requires_note=True)
    .add("approve", {S.APPROVING}, S.APPROVED, APPROVERS, gettext_lazy("审批同意"), guards=[level_authority])
    .add("publish", {S.APPROVED}, S.PUBLISHED, APPROVERS, gettext_lazy("发布"),
         guards=[approved_by_authority, still_running], effects=[retire_previous, start_delivery],
         fields={"identifier", "sent_at"})
    .add("supersede", {S.PUBLISHED}, S.UPDATED, set(), gettext_lazy("被新版本更新"), system=True)
    .add("withdraw", {S.PUBLISHED}, S.CANCELLED, set(), gettext_lazy("解除"), system=True)
    .add("expire", {S.PUBLISHED}, S.EXPIRED, set(), gettext_lazy("到期失效"), system=True)
)
