from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kernels.workdays import WorkCalendar, add_calendar_days, add_workdays, count_calendar_days, count_workdays

# 2025 National Day + Mid-Autumn (国办发明电〔2024〕12号): 10-01..10-08 off, Sun 09-28 and Sat 10-11 worked.
NATIONAL_DAY_2025 = WorkCalendar.of(
    holidays=[date(2025, 10, d) for d in range(1, 9)],
    working_weekends=[date(2025, 9, 28), date(2025, 10, 11)],
)
PLAIN = WorkCalendar()


def test_a_friday_plus_one_working_day_is_the_monday():
    assert add_workdays(date(2025, 3, 7), 1, PLAIN) == date(2025, 3, 10)


def test_weekends_are_skipped_across_two_weeks():
    assert add_workdays(date(2025, 3, 3), 7, PLAIN) == date(2025, 3, 12)  # Mon + 7 working days = Wed next week


def test_holidays_are_skipped_and_the_adjusted_saturday_counts():
    # Notice on Tue 30 Sep: Oct 1–8 off, Thu 9 and Fri 10 work, Sat 11 is a 调休 working day.
    assert add_workdays(date(2025, 9, 30), 1, NATIONAL_DAY_2025) == date(2025, 10, 9)
    assert add_workdays(date(2025, 9, 30), 3, NATIONAL_DAY_2025) == date(2025, 10, 11)
    assert add_workdays(date(2025, 9, 30), 4, NATIONAL_DAY_2025) == date(2025, 10, 13)


def test_an_adjusted_sunday_is_a_working_day():
    assert NATIONAL_DAY_2025.is_workday(date(2025, 9, 28))
    assert add_workdays(date(2025, 9, 27), 1, NATIONAL_DAY_2025) == date(2025, 9, 28)


def test_seven_working_days_publication_limit_over_national_day():
    # A decision on Fri 26 Sep 2025: Sun 28, Mon 29, Tue 30, Thu 9, Fri 10, Sat 11, Mon 13.
    assert add_workdays(date(2025, 9, 26), 7, NATIONAL_DAY_2025) == date(2025, 10, 13)


def test_counting_working_days_between_dates():
    assert count_workdays(date(2025, 9, 26), date(2025, 10, 13), NATIONAL_DAY_2025) == 7
    assert count_workdays(date(2025, 3, 7), date(2025, 3, 9), PLAIN) == 0  # Fri → Sun
    assert count_workdays(date(2025, 3, 9), date(2025, 3, 7), PLAIN) == 0


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day():
    # 90 days from 3 Jul 2025 is Wed 1 Oct (holiday) → the period ends on Thu 9 Oct.
    assert add_calendar_days(date(2025, 7, 3), 90) == date(2025, 10, 1)
    assert add_calendar_days(date(2025, 7, 3), 90, NATIONAL_DAY_2025) == date(2025, 10, 9)
    assert add_calendar_days(date(2025, 3, 1), 7, PLAIN) == date(2025, 3, 10)  # Sat 8 → Mon 10
    assert count_calendar_days(date(2025, 7, 3), date(2025, 10, 1)) == 90


def test_counting_backwards():
    assert add_workdays(date(2025, 10, 13), -7, NATIONAL_DAY_2025) == date(2025, 9, 26)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)), st.integers(min_value=0, max_value=60))
def test_count_inverts_add(start, n):
    end = add_workdays(start, n, NATIONAL_DAY_2025)
    assert count_workdays(start, end, NATIONAL_DAY_2025) == n
    if n:
        assert NATIONAL_DAY_2025.is_workday(end)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)), st.integers(min_value=1, max_value=30))
def test_working_days_never_end_before_calendar_days(start, n):
    assert add_workdays(start, n, PLAIN) >= start + timedelta(days=n)
