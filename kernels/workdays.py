"""Working-day arithmetic for legal time limits (pure: no Django, no database).

A working day is Monday–Friday, except public holidays (法定节假日), plus the adjusted working
weekend days (调休上班日) the State Council announces each year. The calendar is data: the
enforcement app loads it from its editable holiday table and passes it in.

Counting follows the rule of the procedural laws: the day an act happens is not counted, the
period starts the next day (民事诉讼法 第八十五条, applied to administrative procedure):
"within 5 working days of the notice" (行政处罚法 第六十四条, 第八十五条: 五日 = working days) ends
on the 5th working day after the notice. A period in calendar days whose last day falls on a
holiday or weekend ends on the next working day instead.

Hand-written rather than numpy.busday_offset: numpy's weekmask cannot mark a single Saturday as
a working day (调休), which Chinese calendars need several times a year.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date] = field(default_factory=frozenset)          # days off (may fall on weekdays)
    working_weekends: frozenset[date] = field(default_factory=frozenset)  # 调休: Saturdays/Sundays worked

    @classmethod
    def of(cls, holidays: Iterable[date] = (), working_weekends: Iterable[date] = ()) -> "WorkCalendar":
        return cls(frozenset(holidays), frozenset(working_weekends))

    def is_workday(self, day: date) -> bool:
        if day in self.working_weekends:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def add_workdays(start: date, n: int, calendar: WorkCalendar) -> date:
    """The n-th working day after `start` (start itself not counted); n = 0 gives `start`.
    A negative n counts backwards (the n-th working day before)."""
    if n == 0:
        return start
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining, day = abs(n), start
    while remaining:
        day += step
        if calendar.is_workday(day):
            remaining -= 1
    return day


def count_workdays(start: date, end: date, calendar: WorkCalendar) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start), so that
    count_workdays(d, add_workdays(d, n)) == n."""
    if end <= start:
        return 0
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += calendar.is_workday(day)
    return count


def add_calendar_days(start: date, n: int, calendar: WorkCalendar | None = None) -> date:
    """The last day of a period of n calendar days from `start` (start not counted). With a
    calendar, a last day that is not a working day moves to the next working day (民事诉讼法
    第八十五条: 期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期)."""
    day = start + timedelta(days=n)
    if calendar is not None:
        while not calendar.is_workday(day):
            day += ONE_DAY
    return day


def count_calendar_days(start: date, end: date) -> int:
    """Calendar days after `start` up to and including `end` (negative when end is before start)."""
    return (end - start).days
