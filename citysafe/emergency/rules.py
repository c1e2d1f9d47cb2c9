"""Rules particular to some emergency kinds, run by the generated services (kindkit.Spec.check)."""
import calendar
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.emergency.models import Incident, Plan

# Materials expiring within this many days are reported as near expiry (common practice: a month).
NEAR_EXPIRY_DAYS = 30


def check_material(instance, data, errors, actor):
    # The model's validators already refuse negative numbers; issuing goes through dispatch.
    if instance.unit == "":
        errors.add("unit", _("此字段为必填项"), "required")


def add_years(day: date, years: int) -> date:
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def plan_defaults(instance):
    if instance.review_due is None and instance.approved_on is not None:
        instance.review_due = add_years(instance.approved_on, instance.review_years or 3)


def check_plan(instance, data, errors, actor):
    if instance.parent_id is not None and instance.pk is not None and instance.parent_id == instance.pk:
        errors.add("parent_id", _("预案不能衔接自身"), "invalid")
    if instance.status == Plan.Status.APPROVED and instance.approved_on is None:
        errors.add("approved_on", _("已批准的预案须填写批准日期"), "required")
    if "approved_on" in data and "review_due" not in data:
        instance.review_due = None
        plan_defaults(instance)


def default_incident(instance: Incident):
    """Incidents are numbered by the system: SJ + date + a sequence of the day."""
    now = timezone.localtime()
    prefix = f"SJ{now:%Y%m%d}"
    taken = Incident.objects.filter(code__startswith=prefix).count()
    instance.code = f"{prefix}-{taken + 1:03d}"
    while Incident.objects.filter(code=instance.code).exists():
        taken += 1
        instance.code = f"{prefix}-{taken + 1:03d}"
    instance.occurred_at = instance.occurred_at or timezone.now()
