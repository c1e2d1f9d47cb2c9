"""The self-assessment workflow (主体责任 + 分级审核): an enterprise officer (or a township,
a department, the county office) drafts an assessment of a risk point in its scope and
submits it; the supervising department (or the county office) accepts it — only then does
the risk point's level change — or returns it with a reason. An assessment whose role and
level the ReviewRule table lets take effect directly (a department's or township's own
一般/低) is confirmed without review; 重大/较大 always need review."""
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core.roles import Role
from citysafe.core.workflow import Context, Workflow
from citysafe.registry.counties import people_of_county, record_county
from citysafe.risks.models import Assessment

S = Assessment.Status
ASSESSORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP, Role.ENTERPRISE}
REVIEWERS = {Role.ADMIN, Role.DEPARTMENT}


# ---- guards ----------------------------------------------------------------------------

def not_own_assessment(ctx: Context) -> str | None:
    """Nobody reviews their own assessment."""
    if ctx.instance.assessor_id and ctx.instance.assessor_id == getattr(ctx.actor, "pk", None):
        return _("不能审核自己提交的评估")
    return None


def graded(ctx: Context) -> str | None:
    if not ctx.instance.level:
        return _("评估尚未得出风险等级，不能提交")
    return None


def may_take_effect_directly(ctx: Context) -> str | None:
    from citysafe.risks.services.rules import takes_effect_directly

    if not takes_effect_directly(ctx.actor.role, ctx.instance.level):
        return _("该等级的评估须提交审核后生效（重大、较大风险一律审核）")
    return None


# ---- effects ---------------------------------------------------------------------------

def _record_review(ctx: Context) -> None:
    # Who reviewed and when is also on the WorkflowEvent; kept on the row for lists and cards.
    Assessment.objects.filter(pk=ctx.instance.pk).update(
        reviewer=ctx.actor if getattr(ctx.actor, "pk", None) else None, reviewed_at=timezone.now(),
        review_note=ctx.note or "")


def apply_level(ctx: Context) -> None:
    """The accepted assessment becomes the risk point's basis: level, control level, due date, area levels."""
    from citysafe.risks.services.grading import regrade_point

    regrade_point(ctx.actor, ctx.instance.risk_point_id, assessment=ctx.instance,
                  note=_("评估生效：%(label)s") % {"label": ctx.transition.title})


def _reviewers(assessment: Assessment):
    point = assessment.risk_point
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    users = people_of_county(users, record_county(point.township_id))  # the point's own county's
    departments = users.filter(role=Role.DEPARTMENT, organisation__industries=point.industry_id) if point.industry_id \
        else users.none()
    return list(departments.union(users.filter(role=Role.ADMIN)).order_by("id"))


def _link(assessment: Assessment) -> str:
    return reverse("risks:detail", args=["assessments", assessment.pk])


def notify_reviewers(ctx: Context) -> None:
    from citysafe.notifications.services import notify_many

    recipients = _reviewers(ctx.instance)
    if recipients:
        notify_many(recipients, kind="risk_assessment_submitted",
                    subject=_("风险评估待审核：%(point)s（%(level)s）") % {
                        "point": ctx.instance.risk_point.name, "level": ctx.instance.get_level_display()},
                    link=_link(ctx.instance), payload={"assessment": ctx.instance.pk},
                    dedupe_key=f"workflow-event:{ctx.event.pk}")


def notify_assessor(ctx: Context) -> None:
    from citysafe.notifications.services import notify_many

    assessor = ctx.instance.assessor
    if assessor is None or not assessor.is_active or assessor.pk == getattr(ctx.actor, "pk", None):
        return
    subject = _("风险评估%(outcome)s：%(point)s") % {"outcome": ctx.transition.title,
                                                  "point": ctx.instance.risk_point.name}
    notify_many([assessor], kind="risk_assessment_reviewed", subject=subject, body=ctx.note or "",
                link=_link(ctx.instance), payload={"assessment": ctx.instance.pk},
                dedupe_key=f"workflow-event:{ctx.event.pk}")


ASSESSMENT_REVIEW = (
    Workflow("risk_assessment", "status")
    .add("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, ASSESSORS, gettext_lazy("提交审核"), guards=[graded],
         effects=[notify_reviewers])
    .add("accept", {S.SUBMITTED}, S.ACCEPTED, REVIEWERS, gettext_lazy("审核通过"), guards=[not_own_assessment],
         effects=[_record_review, apply_level, notify_assessor])
    .add("return", {S.SUBMITTED}, S.RETURNED, REVIEWERS, gettext_lazy("退回"), requires_note=True,
         guards=[not_own_assessment], effects=[_record_review, notify_assessor])
    .add("confirm", {S.DRAFT, S.RETURNED}, S.ACCEPTED, {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP},
         gettext_lazy("直接生效"), guards=[graded, may_take_effect_directly], effects=[apply_level])
)
