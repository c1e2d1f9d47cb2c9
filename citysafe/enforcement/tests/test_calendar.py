"""The working-day calendar is the editable holiday table: seeded from the State Council notices,
changed by the county office through the service, and every limit follows it."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citysafe.enforcement import calendar
from citysafe.enforcement.models import Holiday
from citysafe.enforcement.services import records

pytestmark = pytest.mark.django_db


def test_the_2025_national_day_notice_is_seeded_with_its_adjusted_working_weekends(world):
    cal = calendar.work_calendar()
    assert not cal.is_workday(date(2025, 10, 8))
    assert cal.is_workday(date(2025, 9, 28)) and cal.is_workday(date(2025, 10, 11))  # Sunday and Saturday worked
    assert calendar.publish_due(date(2025, 9, 26)) == date(2025, 10, 13)
    assert Holiday.objects.filter(day__year=2026, note__contains="待核实").exists()


def test_a_holiday_added_by_the_county_office_moves_the_limits_and_others_may_not_add_one(world):
    before = calendar.statement_due(date(2027, 3, 1))  # Monday: 5 working days → Monday 8 March
    assert before == date(2027, 3, 8)
    with pytest.raises(PermissionDenied):
        records.create_holiday(world.township_officer, {"day": "2027-03-03", "name": "县庆"})
    records.create_holiday(world.admin, {"day": "2027-03-03", "kind": "holiday", "name": "县庆"})
    assert calendar.statement_due(date(2027, 3, 1)) == date(2027, 3, 9)
    with pytest.raises(ValidationError, match="已在节假日表中"):
        records.create_holiday(world.admin, {"day": "2027-03-03", "name": "重复"})
