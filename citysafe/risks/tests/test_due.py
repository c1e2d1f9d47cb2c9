"""Reassessment due dates: the due / overdue list, the home 待办 and reminders through the outbox."""
from datetime import timedelta

from django.utils import timezone

from citysafe.notifications.models import Notification
from citysafe.risks.models import RiskPoint
from citysafe.risks.selectors.due import due_points, overdue_points, reassessment_todo
from citysafe.risks.services.reminders import remind_reassessments
from citysafe.risks.tests.conftest import step


def _graded_point(rw, world, days_ago):
    point = rw.point()
    a = rw.assessment(world.department, point, {"l": 3, "e": 6, "c": 7},
                      assessed_on=timezone.localdate() - timedelta(days=days_ago))
    step(world.department, a, "confirm")
    point.refresh_from_db()
    return point


def test_an_overdue_point_is_listed_for_its_township_and_its_department_and_on_the_home_todo(rw, world):
    point = _graded_point(rw, world, 3 * 366)  # 一般: every 36 months
    assert point.reassess_due < timezone.localdate()
    assert point in overdue_points(world.department)
    assert point not in due_points(world.other_department)
    assert any("逾期" in item.title for item in reassessment_todo(world.department))


def test_reminders_are_written_to_the_outbox_once_per_point_and_stage(rw, world):
    point = _graded_point(rw, world, 3 * 366)
    remind_reassessments()
    first = Notification.objects.filter(kind="risk_reassessment_overdue", payload__risk_point=point.pk).count()
    remind_reassessments()
    assert first >= 1
    assert Notification.objects.filter(kind="risk_reassessment_overdue", payload__risk_point=point.pk).count() == first
    assert RiskPoint.objects.filter(pk=point.pk, level=3).exists()
