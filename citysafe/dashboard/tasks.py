"""The scheduled report job: on the 1st of each month the previous month's reports (and on
1 January the previous year's) for every county, every township and every department.
Idempotent: a report that exists for the same period and subject (county, township,
department) is not made again."""
from datetime import date, timedelta

from django.utils import timezone
from django_tasks import task

from citysafe.core.workflow.system import as_system


def periods_due(today: date) -> list[tuple[str, date, date]]:
    last = today.replace(day=1) - timedelta(days=1)
    due = [("month", last.replace(day=1), last)]
    if today.month == 1:
        due.append(("year", date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)))
    return due


def generate_due_reports(today: date | None = None) -> int:
    from citysafe.dashboard.models import Report
    from citysafe.dashboard.reports.subjects import all_subjects
    from citysafe.dashboard.services import generate_report

    made = 0
    with as_system() as actor:
        for period, first, last in periods_due(today or timezone.localdate()):
            for subject in all_subjects():
                if Report.objects.filter(period=period, period_start=first, archived_at__isnull=True,
                                         **subject.report_fields()).exists():
                    continue
                generate_report(actor, period=period, first=first, last=last, subject=subject)
                made += 1
    return made


@task()
def generate_periodic_reports():
    return generate_due_reports()
