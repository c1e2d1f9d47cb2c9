"""Interviews (约谈) after an assessment, and the ranking as an Excel workbook (openpyxl) and as a
printable PDF with charts (weasyprint and the statistics page's matplotlib SVGs, as services/exports)."""
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from citysafe.assessment import charts, selectors
from citysafe.assessment.models import Interview, UnitResult
from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot


@transaction.atomic
def record_interview(actor, result_id: int, *, held_on: date, interviewee: str, reason: str, follow_up: str = "",
                     follow_up_due: date | None = None) -> Interview:
    scope.require(actor, Interview, scope.Action.CREATE)
    result = scope.get_in_scope(actor, UnitResult.objects.all(), result_id)
    errors = {}
    if not interviewee.strip():
        errors["interviewee"] = [ValidationError(_("约谈对象必填"), code="required")]
    if not reason.strip():
        errors["reason"] = [ValidationError(_("约谈事由必填"), code="required")]
    if follow_up_due and follow_up_due < held_on:
        errors["follow_up_due"] = [ValidationError(_("整改期限不能早于约谈日期"), code="deadline_before_start")]
    if errors:
        raise ValidationError(errors)
    interview = Interview.objects.create(result=result, held_on=held_on, interviewee=interviewee.strip(),
                                         reason=reason.strip(), follow_up=follow_up.strip(), follow_up_due=follow_up_due)
    record_change(actor=actor, action="create", instance=interview, before=None, after=snapshot(interview))
    return interview


def ranking_workbook(user, system_id: int) -> tuple[bytes, str]:
    system = selectors.systems(user).get(pk=system_id)
    results = list(selectors.results(user, system_id).prefetch_related("items__indicator"))
    indicators = list(system.indicators.filter(archived_at__isnull=True).order_by("code"))
    book = Workbook()
    sheet = book.active
    sheet.title = _("排名")
    sheet.append([_("名次"), _("单位"), *[f"{i.code} {i.name}（{i.weight}）" for i in indicators], _("扣分"), _("得分"),
                  _("等次"), _("一票否决")])
    for r in results:
        scores = {s.indicator_id: s.score for s in r.items.all()}
        sheet.append([r.rank, r.organisation.name, *[float(scores[i.pk]) if scores.get(i.pk) is not None else None
                                                     for i in indicators],
                      float(r.deduction), float(r.score), r.grade, r.veto_reason if r.vetoed else ""])
    buffer = io.BytesIO()
    book.save(buffer)
    record_change(actor=user, action="export", object_type="assessment.IndicatorSystem", object_id=str(system.pk),
                  object_repr=str(system), after={"resource": "ranking", "format": "xlsx", "rows": len(results)})
    return buffer.getvalue(), _("%(title)s_排名.xlsx") % {"title": system.title}


def _ranking_rows(user, system):
    results = list(selectors.results(user, system.pk).select_related("organisation").prefetch_related("items"))
    indicators = list(system.indicators.filter(archived_at__isnull=True).order_by("code"))
    rows = []
    for r in results:
        scores = {s.indicator_id: s.score for s in r.items.all()}
        rows.append((r, [scores.get(i.pk) for i in indicators]))
    return indicators, rows


def ranking_pdf(user, system_id: int) -> tuple[bytes, str]:
    """The whole assessment for the units the user may see: a chart of the totals, the ranking
    with every item's score, vetoes and deductions; audited like the other exports."""
    from weasyprint import HTML

    system = selectors.systems(user).get(pk=system_id)
    indicators, rows = _ranking_rows(user, system)
    chart = charts.horizontal_bars([r.organisation.name for r, _s in rows], [float(r.score) for r, _s in rows],
                                   _("考核得分（按名次）")) if rows else ""
    vetoed = [r for r, _s in rows if r.vetoed]
    deducted = [r for r, _s in rows if r.deduction]
    html = render_to_string("assessment/report_ranking.html", {
        "system": system, "indicators": indicators, "rows": rows, "chart": chart, "vetoed": vetoed,
        "deducted": deducted, "today": timezone.localdate()})
    content = HTML(string=html).write_pdf()
    record_change(actor=user, action="export", object_type="assessment.IndicatorSystem", object_id=str(system.pk),
                  object_repr=str(system), after={"resource": "ranking", "format": "pdf", "rows": len(rows)})
    return content, _("%(title)s_考核结果.pdf") % {"title": system.title}
