"""The county's working-day calendar (the editable Holiday table) and the legal time limits of a
case, counted by kernels/workdays.py. Each limit names the article it comes from (STANDARDS:
"time limits are rows or constants with the standard named beside them")."""
from datetime import date

from kernels.workdays import WorkCalendar, add_calendar_days, add_workdays, count_workdays

# 行政处罚法 第六十条: the decision within 90 (calendar) days of opening the case.
DECISION_DAYS = 90
# Extension with the agency head's approval: the law names none; 30 days is common practice in
# the departments' own rules (e.g. 市场监督管理行政处罚程序规定) — adjustable here.
EXTENSION_DAYS = 30
# 行政处罚法 第六十四条（一）: a hearing is requested within 5 days of the notice; 第八十五条: these
# "五日" are working days. Statements and defence (第四十五条) are heard in the same period.
STATEMENT_WORKDAYS = 5
# 行政处罚法 第六十四条（二）: the party is told of the hearing 7 (working, 第八十五条) days before.
HEARING_NOTICE_WORKDAYS = 7
# 安全生产法 第七十八条: decisions published within 7 working days.
PUBLISH_WORKDAYS = 7
# 行政处罚法 第六十七条: a fine is paid within 15 days of receiving the decision.
PAYMENT_DAYS = 15
# 行政处罚法 第六十三条（一）: "较大数额罚款" gives a right to a hearing. The amount is set by each
# province; 10,000 yuan for a unit is a common figure (待核实 against the province's rule).
LARGE_FINE_YUAN = 10000


def work_calendar() -> WorkCalendar:
    from citysafe.enforcement.models import Holiday

    rows = Holiday.objects.filter(archived_at__isnull=True).values_list("day", "kind")
    return WorkCalendar.of(holidays=[d for d, k in rows if k == Holiday.Kind.HOLIDAY],
                           working_weekends=[d for d, k in rows if k == Holiday.Kind.WORKDAY])


def decision_due(opened_on: date, calendar: WorkCalendar | None = None) -> date:
    return add_calendar_days(opened_on, DECISION_DAYS, calendar or work_calendar())


def extended_due(current_due: date, calendar: WorkCalendar | None = None) -> date:
    return add_calendar_days(current_due, EXTENSION_DAYS, calendar or work_calendar())


def statement_due(notified_on: date, calendar: WorkCalendar | None = None) -> date:
    return add_workdays(notified_on, STATEMENT_WORKDAYS, calendar or work_calendar())


def earliest_hearing(today: date, calendar: WorkCalendar | None = None) -> date:
    return add_workdays(today, HEARING_NOTICE_WORKDAYS, calendar or work_calendar())


def publish_due(decided_on: date, calendar: WorkCalendar | None = None) -> date:
    return add_workdays(decided_on, PUBLISH_WORKDAYS, calendar or work_calendar())


def payment_due(decided_on: date, calendar: WorkCalendar | None = None) -> date:
    return add_calendar_days(decided_on, PAYMENT_DAYS, calendar or work_calendar())


def workdays_left(today: date, due: date, calendar: WorkCalendar | None = None) -> int:
    return count_workdays(today, due, calendar or work_calendar())


def is_workday(day: date) -> bool:
    return work_calendar().is_workday(day)
