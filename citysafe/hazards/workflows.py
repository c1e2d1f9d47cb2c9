"""The hidden-hazard closed loop (隐患排查治理, 安全生产事故隐患排查治理暂行规定) as one
transition table on core.workflow:

registered ─grade→ graded ─issue_notice→ notified ─start→ rectifying ─request_acceptance→
acceptance_requested ─reinspect_pass→ closed (销号; a major hazard is de-listed, 摘牌)
                     ─reinspect_fail→ rectifying
                     ─return_for_correction→ rectifying (materials incomplete, no re-inspection yet)
registered/graded ─reject→ rejected (not a hazard); graded/notified ─return→ registered (补正).

Closing is reachable only through a passed re-inspection, so a major hazard can never be closed
without one; a general hazard found and fixed on the spot is registered closed in one step by
services/hazards.register_fixed_on_spot (general only). Overdue is a flag set by the deadline
sweep (services/deadlines.py) on notified / rectifying hazards, not a state: the loop continues.
"""
from datetime import date, datetime, time
from typing import Annotated, Literal, Optional

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, field_validator

from citysafe.core.roles import Role
from citysafe.core.workflow import Context, Workflow
from citysafe.hazards.models import Grade, Hazard, Status
from citysafe.hazards.services.audited import update_audited

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
RECTIFIERS = REGULATORS | {Role.ENTERPRISE, Role.GRID}


def _future(value: date | None) -> date | None:
    if value is not None and value < timezone.localdate():
        raise ValueError(_("期限不能早于今天"))
    return value


class GradeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grade: Literal["general", "major"]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class NoticeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    responsible_unit: Annotated[str, Field(min_length=1, max_length=200)]
    responsible_person: Annotated[str, Field(min_length=1, max_length=100)]
    measures: Annotated[str, Field(min_length=1, max_length=4000)]
    deadline: date

    _check_deadline = field_validator("deadline")(_future)


class ReinspectFailIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deadline: Optional[date] = None

    _check_deadline = field_validator("deadline")(_future)


# ---- guards ----------------------------------------------------------------------------

def plan_in_place(ctx: Context) -> str | None:
    """A major hazard asks for acceptance only with its plan's "five in place" (五到位)."""
    h: Hazard = ctx.instance
    if h.grade != Grade.MAJOR:
        return None
    missing = [label for label, value in ((_("措施"), h.plan_measures), (_("资金"), h.plan_funds),
                                          (_("责任人"), h.plan_person), (_("时限"), h.plan_deadline),
                                          (_("应急预案"), h.plan_emergency)) if value in (None, "")]
    if missing:
        return _("重大隐患须先落实治理方案“五到位”，缺少：%(missing)s") % {"missing": "、".join(missing)}
    return None


def graded_before_notice(ctx: Context) -> str | None:
    if ctx.instance.grade not in (Grade.GENERAL, Grade.MAJOR):
        return _("隐患尚未定级，不能下达整改通知")
    return None


# ---- effects ---------------------------------------------------------------------------

def _end_of(day: date):
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def keep_deadline(ctx: Context) -> None:
    """While rectifying, the deadline of the notice stays the state's deadline (the engine clears
    due_at on every transition without a `deadline` payload)."""
    h: Hazard = ctx.instance
    deadline = getattr(ctx.payload, "deadline", None) or h.rectification_deadline
    if deadline is not None:
        due_at = _end_of(deadline)
        update_audited(h, actor=ctx.actor, action="hazard_deadline", values={
            "rectification_deadline": deadline, "due_at": due_at, "is_overdue": due_at < timezone.now()})


def record_notice(ctx: Context) -> None:
    from citysafe.hazards.services.numbering import next_number

    h: Hazard = ctx.instance
    update_audited(h, actor=ctx.actor, action="hazard_notice", values={
        "notice_number": h.notice_number or next_number("责改", h), "is_overdue": False, "escalation": ""})


def record_acceptance_request(ctx: Context) -> None:
    update_audited(ctx.instance, actor=ctx.actor, action="hazard_acceptance_request",
                   values={"rectified_at": timezone.now()})


def record_reinspection(ctx: Context) -> None:
    h: Hazard = ctx.instance
    now = timezone.now()
    values = {"reinspected_at": now, "reinspection_result": "pass" if h.status == Status.CLOSED else "fail"}
    if h.status == Status.CLOSED:
        values.update(closed_at=now, is_overdue=False)
        if h.is_listed:
            values.update(is_listed=False, delisted_at=now)  # 摘牌 comes with the passed re-inspection
    update_audited(h, actor=ctx.actor, action="hazard_reinspection", values=values)


def raise_area_if_major(ctx: Context) -> None:
    from citysafe.hazards.services.area_raise import hold_raise

    hold_raise(ctx.instance, actor=ctx.actor)


def lower_area(ctx: Context) -> None:
    from citysafe.hazards.services.area_raise import release_raise

    release_raise(ctx.instance, actor=ctx.actor, reason=ctx.transition.title)


def tell_people(ctx: Context) -> None:
    from citysafe.hazards.services.notices import notify_transition

    notify_transition(ctx)


HAZARD_LOOP = (
    Workflow("hazard", "status")
    .add("grade", {Status.REGISTERED}, Status.GRADED, REGULATORS, gettext_lazy("定级"), payload=GradeIn,
         fields={"grade", "grade_reason"}, effects=[raise_area_if_major, tell_people])
    .add("return", {Status.GRADED, Status.NOTIFIED}, Status.REGISTERED, REGULATORS, gettext_lazy("退回补正"),
         requires_note=True, effects=[tell_people])
    .add("reject", {Status.REGISTERED, Status.GRADED}, Status.REJECTED, REGULATORS, gettext_lazy("不予认定"),
         requires_note=True, effects=[lower_area, tell_people])
    .add("issue_notice", {Status.GRADED}, Status.NOTIFIED, REGULATORS, gettext_lazy("下达整改通知"),
         payload=NoticeIn, guards=[graded_before_notice],
         fields={"responsible_unit", "responsible_person", "measures", "rectification_deadline"},
         effects=[record_notice, tell_people])
    .add("start", {Status.NOTIFIED}, Status.RECTIFYING, RECTIFIERS, gettext_lazy("开始整改"),
         effects=[keep_deadline])
    .add("request_acceptance", {Status.RECTIFYING}, Status.ACCEPTANCE_REQUESTED, RECTIFIERS,
         gettext_lazy("申请验收"), guards=[plan_in_place], effects=[record_acceptance_request, tell_people])
    .add("return_for_correction", {Status.ACCEPTANCE_REQUESTED}, Status.RECTIFYING, REGULATORS,
         gettext_lazy("退回补充材料"), requires_note=True, effects=[keep_deadline, tell_people])
    .add("reinspect_fail", {Status.ACCEPTANCE_REQUESTED}, Status.RECTIFYING, REGULATORS,
         gettext_lazy("复查不合格"), requires_note=True, payload=ReinspectFailIn,
         effects=[record_reinspection, keep_deadline, tell_people])
    .add("reinspect_pass", {Status.ACCEPTANCE_REQUESTED}, Status.CLOSED, REGULATORS,
         gettext_lazy("复查合格销号"), effects=[record_reinspection, lower_area, tell_people])
)
