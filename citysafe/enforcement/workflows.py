"""An enforcement case (行政处罚程序, 行政处罚法 第五章–第六章; 行政强制法 第四章) as one
transition table on core.workflow:

draft ─approve_opening→ investigating (立案, 第五十四条; the 90-day limit of 第六十条 starts)
      ─reject_opening→ not_opened
investigating ─notify→ notified (告知, 第四十四条) ─request_hearing→ hearing (第六十三、六十四条)
notified ─waive→ notified (the party waives statements in writing, 第六十二条); ─notify→ notified again
      (a heavier penalty than the one told needs a new notice, 第四十五条)
notified / hearing ─decide→ decided (第五十七条; refused before the statement/hearing period ends,
      without a resolvable legal basis, or past the decision limit unless extended)
investigating / notified / hearing ─extend_*→ same state (the 90 days extended with approval)
decided ─start_execution→ executing (the party performs) ─close→ closed
decided ─demand→ demanded (催告, 行政强制法 第三十五条) ─enforce→ executing (第三十七条; a power cut
      under 安全生产法 第七十条 needs a stop-production decision and 24 hours' written notice)

Overdue is a flag (services/deadlines.py, scheduled): the case goes on."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal, Optional

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from citysafe.core.roles import Role
from citysafe.core.workflow import Context, Workflow
from citysafe.enforcement import calendar
from citysafe.enforcement.models import Case, Penalty, Status

REGULATORS = {Role.ADMIN, Role.DEPARTMENT, Role.TOWNSHIP}
APPROVERS = {Role.ADMIN, Role.DEPARTMENT}  # the agency head's approval (立案审批, 延期, 决定)
PENALTIES = Literal["warning", "fine", "confiscation", "stop_production", "permit_suspension",
                    "permit_revocation", "seal_seizure"]
# 行政处罚法 第六十三条: the penalties that give the party the right to a hearing (besides a large fine).
HEARING_PENALTIES = {Penalty.CONFISCATION, Penalty.STOP_PRODUCTION, Penalty.PERMIT_SUSPENSION,
                     Penalty.PERMIT_REVOCATION}


class PenaltyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    penalty: PENALTIES
    fine_amount: Optional[Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]] = None
    penalty_basis: Annotated[str, Field(max_length=200)] = ""


class DecideIn(PenaltyIn):
    decision_text: Annotated[str, Field(min_length=1, max_length=4000)]


class HearingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hearing_on: date


class DemandIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deadline: date  # the performance deadline of the 催告书 (sets due_at)


class EnforceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measure: Literal["court", "power_cut", "auction", "direct"]
    power_cut_notice_at: Optional[datetime] = None


def _today() -> date:
    return timezone.localdate()


def _end_of(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))


def _save(case: Case, **values) -> None:
    for key, value in values.items():
        setattr(case, key, value)
    Case.objects.filter(pk=case.pk).update(**values)


# ---- guards ----------------------------------------------------------------------------

def basis_resolves(ctx: Context) -> str | None:
    """行政处罚法 第三十八条: a penalty without a legal basis is void — the basis must name an
    article the knowledge base holds."""
    from citysafe.knowledge.citations import resolve_citation

    basis = (ctx.instance.penalty_basis or "").strip()
    if not basis:
        return _("处罚依据：必须引用法律条款（行政处罚法 第三十八条：行政处罚没有依据的无效）")
    found = resolve_citation(basis)
    if found is None or not found.is_resolved:
        reason = getattr(found, "reason", "") or _("未能识别条款")
        return _("处罚依据：“%(basis)s”未能在法规库中找到（%(reason)s）；行政处罚法 第三十八条：行政处罚没有依据的无效") % {
            "basis": basis, "reason": reason}
    ctx.instance.penalty_basis = found.reference
    return None


def fine_has_amount(ctx: Context) -> str | None:
    case: Case = ctx.instance
    if case.penalty == Penalty.FINE and not case.fine_amount:
        return _("罚款金额：处罚种类为罚款时必须填写金额")
    if case.penalty != Penalty.FINE:
        case.fine_amount = None
    return None


def statement_period_over(ctx: Context) -> str | None:
    """行政处罚法 第六十二条: no decision before the party was heard (or waived it); 第六十五条:
    after a hearing, on its record."""
    case: Case = ctx.instance
    today = _today()
    if ctx.from_state == Status.HEARING:
        if case.hearing_on is None or today < case.hearing_on:
            return _("听证尚未举行（听证日期 %(day)s），不能作出决定（行政处罚法 第六十五条）") % {
                "day": case.hearing_on}
        return None
    if not case.waived and case.statement_due and today <= case.statement_due:
        return _("陈述申辩和听证申请期限至 %(day)s 届满，期满前不能作出决定（行政处罚法 第六十二条、第六十四条）") % {
            "day": case.statement_due}
    return None


def within_decision_limit(ctx: Context) -> str | None:
    case: Case = ctx.instance
    if case.decision_due and _today() > case.decision_due:
        return _("已超过决定期限 %(day)s（行政处罚法 第六十条：立案之日起九十日内），须先经批准延期") % {
            "day": case.decision_due}
    return None


def hearing_allowed(ctx: Context) -> str | None:
    case: Case = ctx.instance
    if not case.hearing_right:
        return _("拟作出的处罚不属于听证范围（行政处罚法 第六十三条）")
    if case.statement_due and _today() > case.statement_due:
        return _("听证申请期限已于 %(day)s 届满（行政处罚法 第六十四条：告知后五日内提出）") % {"day": case.statement_due}
    earliest = calendar.earliest_hearing(_today())
    if case.hearing_on is None or case.hearing_on < earliest:
        return _("听证日期：须在通知当事人七日后，最早 %(day)s（行政处罚法 第六十四条）") % {"day": earliest}
    return None


def not_heavier_than_notified(ctx: Context) -> str | None:
    """行政处罚法 第四十四、四十五条: the party is heard on the penalty it was told of, and is not
    punished more heavily for its statements — a heavier penalty needs a new notice (a lighter fine
    or a warning may be decided)."""
    case: Case = ctx.instance
    told, told_amount = ctx.before.get("penalty"), ctx.before.get("fine_amount")
    if not told or case.penalty == Penalty.WARNING:
        return None
    # Penalties of different kinds are not ranked here: another kind than the one told (other than a
    # warning, the lightest) is treated as heavier, conservatively.
    heavier_kind = case.penalty != told
    heavier_fine = (case.penalty == Penalty.FINE and told == Penalty.FINE and told_amount is not None
                    and case.fine_amount is not None and Decimal(str(case.fine_amount)) > Decimal(str(told_amount)))
    if heavier_kind or heavier_fine:
        return _("决定的处罚重于告知的处罚（%(told)s），须重新告知当事人（行政处罚法 第四十四条、第四十五条）") % {
            "told": str(Penalty(told).label) + (f" {told_amount}元" if told == Penalty.FINE and told_amount else "")}
    return None


def one_extension(ctx: Context) -> str | None:
    if ctx.before.get("extended"):
        return _("决定期限已延期一次，不能再次延期")
    return None


def may_enforce(ctx: Context) -> str | None:
    """行政强制法 第三十七条 (after the demand's deadline), 第四十三条 (not on a holiday);
    安全生产法 第七十条 (power cut: a stop-production decision, 24 hours' written notice)."""
    case: Case = ctx.instance
    today = _today()
    if case.perform_by and today <= case.perform_by:
        return _("催告书载明的履行期限 %(day)s 尚未届满，不能强制执行（行政强制法 第三十七条）") % {"day": case.perform_by}
    if not calendar.is_workday(today):
        return _("法定节假日不得实施行政强制执行（行政强制法 第四十三条）")
    if ctx.payload.measure == "power_cut":
        if case.penalty != Penalty.STOP_PRODUCTION:
            return _("停止供电只能用于强制执行停产停业决定（安全生产法 第七十条）")
        notice = ctx.payload.power_cut_notice_at
        if notice is None or timezone.now() - notice < timedelta(hours=24):
            return _("停止供电须提前二十四小时书面通知生产经营单位（安全生产法 第七十条）")
    return None


def must_be_published(ctx: Context) -> str | None:
    if ctx.instance.published_at is None:
        return _("处罚决定尚未公示，不能结案（安全生产法 第七十八条：决定后七个工作日内公开）")
    return None


# ---- effects ---------------------------------------------------------------------------

def open_case(ctx: Context) -> None:
    from citysafe.enforcement.services.numbering import case_number

    case: Case = ctx.instance
    opened = _today()
    due = calendar.decision_due(opened)
    _save(case, opened_on=opened, decision_due=due, due_at=_end_of(due), number=case.number or case_number(case))


def keep_decision_deadline(ctx: Context) -> None:
    case: Case = ctx.instance
    if case.decision_due:
        _save(case, due_at=_end_of(case.decision_due))


def record_notice(ctx: Context) -> None:
    case: Case = ctx.instance
    today = _today()
    right = case.penalty in HEARING_PENALTIES or (
        case.penalty == Penalty.FINE and case.fine_amount and case.fine_amount >= calendar.LARGE_FINE_YUAN)
    _save(case, notified_on=today, statement_due=calendar.statement_due(today), hearing_right=bool(right),
          waived=False, penalty_basis=case.penalty_basis, fine_amount=case.fine_amount)
    keep_decision_deadline(ctx)


def record_waiver(ctx: Context) -> None:
    _save(ctx.instance, waived=True)
    keep_decision_deadline(ctx)


def extend_deadline(ctx: Context) -> None:
    case: Case = ctx.instance
    _save(case, decision_due=calendar.extended_due(case.decision_due or _today()), extended=True, is_overdue=False)
    keep_decision_deadline(ctx)


def record_decision(ctx: Context) -> None:
    from citysafe.enforcement.services.numbering import decision_number

    case: Case = ctx.instance
    today = _today()
    publish = calendar.publish_due(today)
    _save(case, decided_on=today, decision_number=decision_number(case), publish_due=publish,
          payment_due=calendar.payment_due(today) if case.penalty == Penalty.FINE else None,
          penalty_basis=case.penalty_basis, fine_amount=case.fine_amount, due_at=_end_of(publish), is_overdue=False)


def record_demand(ctx: Context) -> None:
    _save(ctx.instance, perform_by=ctx.payload.deadline)


def record_enforcement(ctx: Context) -> None:
    _save(ctx.instance, enforcement_measure=ctx.payload.measure)


def record_closure(ctx: Context) -> None:
    _save(ctx.instance, closed_on=_today(), is_overdue=False)


def tell_people(ctx: Context) -> None:
    from citysafe.enforcement.services.notices import notify_transition

    notify_transition(ctx)


CASE_FLOW = (
    Workflow("enforcement_case", "status")
    .add("approve_opening", {Status.DRAFT}, Status.INVESTIGATING, APPROVERS, gettext_lazy("批准立案"),
         effects=[open_case, tell_people])
    .add("reject_opening", {Status.DRAFT}, Status.NOT_OPENED, APPROVERS, gettext_lazy("不予立案"),
         requires_note=True, effects=[tell_people])
    .add("notify", {Status.INVESTIGATING, Status.NOTIFIED}, Status.NOTIFIED, REGULATORS, gettext_lazy("送达处罚告知书"),
         payload=PenaltyIn, fields={"penalty", "fine_amount", "penalty_basis"},
         guards=[fine_has_amount, basis_resolves], effects=[record_notice, tell_people])
    .add("waive", {Status.NOTIFIED}, Status.NOTIFIED, REGULATORS, gettext_lazy("当事人放弃陈述申辩"),
         requires_note=True, effects=[record_waiver])
    .add("request_hearing", {Status.NOTIFIED}, Status.HEARING, REGULATORS, gettext_lazy("当事人要求听证"),
         payload=HearingIn, fields={"hearing_on"}, guards=[hearing_allowed], effects=[keep_decision_deadline])
    .add("decide", {Status.NOTIFIED, Status.HEARING}, Status.DECIDED, APPROVERS, gettext_lazy("作出处罚决定"),
         payload=DecideIn, fields={"penalty", "fine_amount", "penalty_basis", "decision_text"},
         guards=[statement_period_over, within_decision_limit, fine_has_amount, not_heavier_than_notified,
                 basis_resolves],
         effects=[record_decision, tell_people])
    .add("start_execution", {Status.DECIDED}, Status.EXECUTING, REGULATORS, gettext_lazy("当事人履行"),
         effects=[tell_people])
    .add("demand", {Status.DECIDED}, Status.DEMANDED, REGULATORS, gettext_lazy("催告履行"),
         payload=DemandIn, fields={"perform_by"}, effects=[record_demand, tell_people])
    .add("enforce", {Status.DEMANDED}, Status.EXECUTING, APPROVERS, gettext_lazy("强制执行"),
         payload=EnforceIn, fields={"enforcement_measure"}, guards=[may_enforce],
         effects=[record_enforcement, tell_people])
    .add("close", {Status.EXECUTING}, Status.CLOSED, REGULATORS, gettext_lazy("结案"), requires_note=True,
         guards=[must_be_published], effects=[record_closure, tell_people])
)
for _state in (Status.INVESTIGATING, Status.NOTIFIED, Status.HEARING):
    CASE_FLOW.add(f"extend_{_state}", {_state}, _state, APPROVERS, gettext_lazy("批准延期"), requires_note=True,
                  guards=[one_extension], effects=[extend_deadline])
