"""Writes of the dashboard app: generating a report (figures, .docx, PDF, stored, audited, sent
to subscribers through the outbox in the same transaction) and subscribing to reports."""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from citysafe.core import audit, scope
from citysafe.core.workflow.system import is_system_actor
from citysafe.dashboard.models import Period, Report, Subscription
from citysafe.dashboard.reports import figures as report_figures
from citysafe.dashboard.reports.pdf import build_pdf
from citysafe.dashboard.reports.subjects import Subject
from citysafe.dashboard.reports.text import period_label
from citysafe.dashboard.reports.word import build_docx
from citysafe.notifications.services import notify_many

MAX_DAYS = 366 * 5


def _check_period(period: str, first: date, last: date) -> None:
    if period not in Period.values:
        raise ValidationError({"period": _("报告类型无效，可选：%(c)s") % {"c": "、".join(Period.values)}})
    if last < first:
        raise ValidationError({"period_end": _("截止日期不能早于起始日期")})
    if (last - first).days > MAX_DAYS:
        raise ValidationError({"period_end": _("报告期间不能超过5年")})


def report_title(subject: Subject, period: str, first: date, last: date) -> str:
    probe = Report(period=period, period_start=first, period_end=last)
    kind = {Period.MONTH: _("安全生产月报"), Period.YEAR: _("安全生产年报")}.get(period, _("安全生产报告"))
    return f"{subject.name}{period_label(probe)}{kind}"


def subscribers_of(report: Report) -> list:
    """Subscribed users who may see the report (its scope) and want its period kind."""
    rows = Subscription.objects.select_related("user", "user__organisation").filter(user__is_active=True)
    if report.period == Period.MONTH:
        rows = rows.filter(monthly=True)
    elif report.period == Period.YEAR:
        rows = rows.filter(annual=True)
    return [s.user for s in rows if scope.contains(s.user, report)]


def generate_report(actor, *, period: str, first: date, last: date, subject: Subject) -> Report:
    """Compute, render and store one report, audit it and notify its subscribers (outbox).
    A user may report only on a subject inside its scope (404-like refusal as ValidationError)."""
    _check_period(period, first, last)
    report = Report(period=period, period_start=first, period_end=last, **subject.report_fields())
    if not is_system_actor(actor):
        scope.require(actor, Report, scope.Action.CREATE)
        if not scope.contains(actor, report):
            raise PermissionDenied(_("您不能生成该单位的报告"))
    report.title = report_title(subject, period, first, last)
    report.figures = report_figures.compute(subject, first, last)
    report.generated_by = actor if getattr(actor, "pk", None) else None
    docx, pdf = build_docx(report), build_pdf(report)   # outside the transaction: seconds of work
    stem = f"{first:%Y%m%d}-{last:%Y%m%d}-{subject.name}-{period}"
    with transaction.atomic():
        report.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.save()
        audit.record_change(actor=actor, action="create", instance=report,
                            after={"title": report.title, "figures": report.figures})
        recipients = subscribers_of(report)
        if recipients:
            notify_many(recipients, kind="safety_report", subject=report.title,
                        body=_("新的安全生产报告已生成，可下载Word或PDF版本。"),
                        link=reverse("dashboard:report", args=[report.pk]),
                        dedupe_key=f"safety-report-{report.pk}")
    return report


def subscribe(actor, *, monthly: bool, annual: bool) -> Subscription:
    scope.require(actor, Subscription, scope.Action.CREATE)
    with transaction.atomic():
        row, created = Subscription.objects.select_for_update().get_or_create(
            user=actor, defaults={"monthly": monthly, "annual": annual})
        before = None if created else {"monthly": row.monthly, "annual": row.annual}
        row.monthly, row.annual = monthly, annual
        row.save()
        audit.record_change(actor=actor, action="create" if created else "update", instance=row,
                            before=before, after={"monthly": monthly, "annual": annual})
    return row


def unsubscribe(actor) -> None:
    scope.require(actor, Subscription, scope.Action.ARCHIVE)
    with transaction.atomic():
        for row in Subscription.objects.select_for_update().filter(user=actor):
            audit.record_change(actor=actor, action="delete", instance=row, before={"monthly": row.monthly,
                                                                                      "annual": row.annual})
            row.delete()
