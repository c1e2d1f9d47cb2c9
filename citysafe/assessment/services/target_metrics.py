"""Policy targets whose progress the platform computes from its own data (measure "computed",
`PolicyTarget.metric` names one of TARGET_METRICS). Each metric answers the county-wide value
in the target's unit (%), or None while nothing can be measured; `refresh_computed` (run by
the daily target job before the overdue warnings) stores it as the target's current value,
audited like a progress report."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.assessment.models import PolicyTarget
from citysafe.core.audit import record_change, snapshot


def _end_of(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today, time.max))


def flood_points_fixed(today: date) -> float | None:
    """Share (%) of the flood/drainage hazards (易涝点, category 防汛排涝) found by `today` that are
    closed (销号); hazards judged not to be hazards (不予认定) and archived ones do not count."""
    from citysafe.hazards.models import Category, Hazard, Status

    counts = (Hazard.objects.filter(category=Category.FLOOD, archived_at__isnull=True, found_at__lte=_end_of(today))
              .exclude(status=Status.REJECTED)
              .aggregate(total=Count("pk"), closed=Count("pk", filter=Q(status=Status.CLOSED))))
    return 100 * counts["closed"] / counts["total"] if counts["total"] else None


def risk_map_published(today: date) -> float:
    """100 while the four-colour risk map is published (the latest publish/withdraw row by
    `today` publishes it, citysafe.risks), else 0."""
    from citysafe.risks.models.publication import RiskMapPublication

    latest = (RiskMapPublication.objects.filter(published_at__lte=_end_of(today))
              .order_by("-published_at", "-id").first())
    return 100.0 if latest is not None and latest.is_published else 0.0


@dataclass(frozen=True)
class TargetMetric:
    label: object
    value: Callable[[date], float | None]


TARGET_METRICS = {
    "flood_points_fixed": TargetMetric(gettext_lazy("易涝点（防汛排涝隐患）整改销号率"), flood_points_fixed),
    "risk_map_published": TargetMetric(gettext_lazy("四色风险分布图已公开"), risk_map_published),
}


@transaction.atomic
def refresh_computed(today: date | None = None) -> int:
    """Store each computed target's value for `today`; returns how many targets changed."""
    today = today or timezone.localdate()
    changed = 0
    for target in PolicyTarget.objects.select_for_update().filter(archived_at__isnull=True,
                                                                  measure=PolicyTarget.Measure.COMPUTED):
        metric = TARGET_METRICS.get(target.metric)
        value = metric.value(today) if metric else None
        if value is None:
            continue
        value = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if (target.current_value, target.current_on) == (value, today):
            continue
        before = snapshot(target)
        target.current_value, target.current_on = value, today
        target.version += 1
        target.save(update_fields=["current_value", "current_on", "version", "updated_at"])
        record_change(actor=None, action="update", instance=target, before=before, after=snapshot(target),
                      note=_("平台数据计算：%(metric)s") % {"metric": metric.label})
        changed += 1
    return changed
