"""Interviews (约谈) after an assessment, and the ranking as an Excel workbook (openpyxl)."""
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from citysafe.assessment import selectors
from citysafe.assessment.models import IndicatorSystem, Interview, UnitResult
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
    system = IndicatorSystem.objects.get(pk=system_id, archived_at__isnull=True)
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
