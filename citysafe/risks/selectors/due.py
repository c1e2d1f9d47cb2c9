"""Reassessment due and overdue lists (the page, the home 待办 and the reminder job)."""
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.todo import TodoItem
from citysafe.risks.models import RiskPoint

DUE_WITHIN_DAYS = 30


def due_points(user, *, within_days: int = DUE_WITHIN_DAYS):
    """Graded risk points in the user's scope whose reassessment is due within `within_days` or overdue."""
    horizon = timezone.localdate() + timedelta(days=within_days)
    return scope.narrow(user, RiskPoint.objects.filter(level__gt=0, reassess_due__lte=horizon)).order_by(
        "reassess_due", "id")


def overdue_points(user):
    return due_points(user, within_days=0).filter(reassess_due__lt=timezone.localdate())


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def reassessment_todo(user) -> list[TodoItem]:
    """The home page's 待办: one line for the overdue reassessments, one for those due soon."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    points = list(due_points(user).values_list("reassess_due", flat=True)[:1000])
    overdue = [d for d in points if d < today]
    soon = [d for d in points if d >= today]
    url = reverse("risks:due")
    items = []
    if overdue:
        items.append(TodoItem(title=_("风险点逾期未复评：%(n)s个") % {"n": len(overdue)}, url=url, due=_moment(min(overdue)),
                              level="danger"))
    if soon:
        items.append(TodoItem(title=_("风险点%(days)s天内须复评：%(n)s个") % {"days": DUE_WITHIN_DAYS, "n": len(soon)},
                              url=url, due=_moment(min(soon)), level="warning"))
    return items
