"""The two workflows of construction safety (core.workflow): a high-danger work's status and a
work permit's. Guards refuse with the rule named; nothing is saved when one refuses."""
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from citysafe.construction.models import GasLimit, HighDangerWork, PermitRule, ScaleThreshold, WorkPermit
from citysafe.construction.permissions import SITE_KEEPERS
from citysafe.core.models import Attachment
from citysafe.core.workflow import Workflow

W, P = HighDangerWork.Status, WorkPermit.Status
DANGEROUS_WORKS_RULE = _("《危险性较大的分部分项工程安全管理规定》（住建部令第37号）")


# ---- high-danger works ------------------------------------------------------------------

def needs_expert_review(work) -> bool | None:
    """At or over the scale threshold of its category (None: the scale is not given yet)."""
    threshold = ScaleThreshold.objects.filter(category=work.category).first()
    if threshold is None:
        return False
    if work.scale_value is None:
        return None
    return work.scale_value >= threshold.value


def _has_special_plan(work) -> bool:
    return Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(HighDangerWork),
                                     owner_id=work.pk).exists()


def _special_plan_attached(ctx):
    if not _has_special_plan(ctx.instance):
        return _("须先上传专项施工方案附件（%(rule)s第十条：施工单位应当在危大工程施工前组织编制专项施工方案）") % {
            "rule": DANGEROUS_WORKS_RULE}
    return None


def _review_passed(ctx):
    work = ctx.instance
    if work.review_conclusion not in (HighDangerWork.Conclusion.PASS, HighDangerWork.Conclusion.REVISE):
        return _("论证结论为“不通过”的专项施工方案须修改后重新组织专家论证（%(rule)s第十四条）") % {
            "rule": DANGEROUS_WORKS_RULE}
    if not work.review_on or not work.review_experts:
        return _("须填写专家论证日期和论证专家")
    return None


def _review_before_start(ctx):
    work = ctx.instance
    needed = needs_expert_review(work)
    if needed is None:
        return _("须先填写规模数值，以判断是否属于超过一定规模的危大工程")
    if needed and not (ctx.from_state == W.REVIEWED and work.review_conclusion in (
            HighDangerWork.Conclusion.PASS, HighDangerWork.Conclusion.REVISE)):
        return _("超过一定规模的危大工程，专项施工方案须经专家论证通过后方可实施（%(rule)s第十二条）") % {
            "rule": DANGEROUS_WORKS_RULE}
    return None


HIGH_DANGER_WORK = (
    Workflow("high_danger_work", "status")
    .add("review", [W.PLAN], W.REVIEWED, SITE_KEEPERS, _("登记专家论证"),
         guards=(_special_plan_attached, _review_passed),
         fields=("review_on", "review_experts", "review_conclusion"))
    .add("start", [W.PLAN, W.REVIEWED], W.IN_PROGRESS, SITE_KEEPERS, _("开始实施"),
         guards=(_special_plan_attached, _review_before_start))
    .add("accept", [W.IN_PROGRESS], W.ACCEPTED, SITE_KEEPERS, _("验收"), requires_note=True)
    .add("close", [W.PLAN, W.REVIEWED, W.IN_PROGRESS, W.ACCEPTED], W.CLOSED, SITE_KEEPERS, _("关闭"),
         requires_note=True)
)


# ---- work permits -----------------------------------------------------------------------

def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _window(permit) -> dict:
    return {"start": _local(permit.valid_from), "end": _local(permit.valid_to)}


def _approver_is_not_applicant(ctx):
    permit = ctx.instance
    if permit.applicant_id is not None and permit.applicant_id == getattr(ctx.actor, "pk", None):
        return _("审批人不能是申请人本人（危险作业实行审批制度，申请与审批分离）")
    # Guards run before the save: the approver is recorded with the approval itself.
    permit.approver_id = ctx.actor.pk
    return None


def _not_expired(ctx):
    if timezone.now() > ctx.instance.valid_to:
        return _("作业票已过有效期（%(start)s至%(end)s），不能审批：须重新办理作业票") % _window(ctx.instance)
    return None


def _within_window(ctx):
    now = timezone.now()
    if not ctx.instance.valid_from <= now <= ctx.instance.valid_to:
        return _("当前不在作业票有效期内（%(start)s至%(end)s），不能开始作业：危险作业须在作业票有效期内进行") % _window(
            ctx.instance)
    return None


def gas_test_required(permit) -> bool:
    rule = PermitRule.objects.filter(kind=permit.kind).first()
    return rule is not None and (rule.gas_test == "always" or rule.gas_test == "hazardous" and permit.in_hazardous_area)


def _gas_test_passed(ctx):
    permit = ctx.instance
    if not gas_test_required(permit):
        return None
    problems = []
    for limit in GasLimit.objects.filter(kind=permit.kind):
        value, label = getattr(permit, limit.measurement), limit.get_measurement_display()
        if value is None:
            problems.append(_("未填写%(label)s") % {"label": label})
        elif (limit.minimum is not None and value < limit.minimum) or (limit.maximum is not None and value > limit.maximum):
            bounds = "–".join(f"{v:g}" if v is not None else "" for v in (limit.minimum, limit.maximum))
            problems.append(_("%(label)s %(value)s 不在 %(bounds)s 范围内（%(basis)s）") % {
                "label": label, "value": f"{value:g}", "bounds": bounds, "basis": limit.basis})
    if problems:
        return _("作业前气体检测不合格，不能开始作业：") + "；".join(str(p) for p in problems)
    permit.gas_tested_at = timezone.now()  # recorded with the start, as the approver with the approval
    return None


WORK_PERMIT = (
    Workflow("work_permit", "status")
    .add("approve", [P.DRAFT], P.APPROVED, SITE_KEEPERS, _("审批"), guards=(_not_expired, _approver_is_not_applicant))
    .add("start", [P.APPROVED], P.IN_PROGRESS, SITE_KEEPERS, _("开始作业"), guards=(_within_window, _gas_test_passed),
         fields=("oxygen_percent", "combustible_percent_lel", "toxic_ppm"))
    .add("close", [P.IN_PROGRESS], P.CLOSED, SITE_KEEPERS, _("关闭（完工验收）"), requires_note=True)
    .add("cancel", [P.DRAFT, P.APPROVED], P.CANCELLED, SITE_KEEPERS, _("作废"), requires_note=True)
)
