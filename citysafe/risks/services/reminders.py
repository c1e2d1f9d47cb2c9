"""Reassessment reminders through the notification outbox: the township officers of the risk
point's township, its enterprise's officers and the departments of its industry, once per
point, due date and stage (the outbox's dedupe key)."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.roles import Role
from citysafe.registry.counties import people_of_county, record_county
from citysafe.risks.models import RiskPoint
from citysafe.risks.selectors.due import DUE_WITHIN_DAYS


def _recipients(point: RiskPoint) -> list:
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    who = Q(pk__in=[])
    if point.township_id:
        who |= Q(role=Role.TOWNSHIP, organisation__area_id=point.township_id)
    if point.owner_enterprise_id:
        who |= Q(role=Role.ENTERPRISE, enterprise_id=point.owner_enterprise_id)
    chosen = users.filter(who)
    if point.industry_id:  # the industry's departments of the point's own county (registry.counties)
        departments = people_of_county(users, record_county(point.township_id))
        chosen = chosen | departments.filter(role=Role.DEPARTMENT, organisation__industries=point.industry_id)
    return list(chosen.distinct().order_by("id"))


def remind_reassessments(today=None) -> int:
    """Write the reminders due today; returns how many risk points were reminded about."""
    from citysafe.notifications.services import notify_many

    today = today or timezone.localdate()
    horizon = today + timedelta(days=DUE_WITHIN_DAYS)
    count = 0
    points = RiskPoint.objects.filter(archived_at__isnull=True, level__gt=0, reassess_due__lte=horizon).order_by("id")
    for point in points.iterator(chunk_size=500):
        stage = "overdue" if point.reassess_due < today else "due"
        recipients = _recipients(point)
        if not recipients:
            continue
        if stage == "overdue":
            subject = _("风险点逾期未复评：%(point)s（期限%(due)s）")
        else:
            subject = _("风险点即将到期复评：%(point)s（期限%(due)s）")
        notify_many(recipients, kind="risk_reassessment_" + stage,
                    subject=subject % {"point": point.name, "due": point.reassess_due.isoformat()},
                    link=reverse("risks:detail", args=["risk-points", point.pk]),
                    payload={"risk_point": point.pk, "stage": stage},
                    dedupe_key=f"risk-reassess:{point.pk}:{point.reassess_due.isoformat()}:{stage}")
        count += 1
    return count
