"""Reads: classes, plans with their progress, draws (scoped), and the public list of draws."""
from collections import defaultdict
from datetime import datetime, time

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from citysafe.core import scope
from citysafe.core.masking import mask_phone
from citysafe.hazards.inspection_models import Inspection
from citysafe.supervision.models import (
    DrawnInspection,
    EnforcementPlan,
    EnterpriseClass,
    PlannedInspection,
    RandomDraw,
    SupervisionClass,
)
from citysafe.supervision.services.common import enterprises_of


def classes_for(user, *, year: int, final_class: str | None = None, q: str = ""):
    rows = scope.narrow(user, EnterpriseClass.objects.filter(year=year)).select_related(
        "enterprise", "enterprise__township", "enterprise__industry")
    if final_class:
        rows = rows.filter(Q(manual_class=final_class) | Q(manual_class="", computed_class=final_class))
    if q:
        rows = rows.filter(enterprise__name__icontains=q)
    return rows.order_by("enterprise__name", "id")


def class_counts(user, year: int) -> dict:
    rows = scope.narrow(user, EnterpriseClass.objects.filter(year=year))
    counts = dict.fromkeys(SupervisionClass.values, 0)
    for manual, computed, n in rows.values_list("manual_class", "computed_class").annotate(n=Count("id")):
        counts[manual or computed] += n
    return counts


def plans_for(user):
    return scope.narrow(user, EnforcementPlan.objects.all()).select_related("department").order_by("-year", "department__code")


def _year_bounds(year: int):
    tz = timezone.get_current_timezone()
    return (datetime.combine(datetime(year, 1, 1).date(), time.min, tzinfo=tz),
            datetime.combine(datetime(year + 1, 1, 1).date(), time.min, tzinfo=tz))


def plan_progress(plan: EnforcementPlan) -> dict:
    """Per month: inspections planned, planned ones done (the enterprise has an inspection record
    — hazards.Inspection at one of its places, any inspector — in that month), and all
    inspections recorded at the plan's enterprises; per class the same for the year."""
    start, end = _year_bounds(plan.year)
    lines = list(PlannedInspection.objects.filter(plan=plan).values_list("enterprise_id", "month", "enterprise_class"))
    enterprises = {e for e, _m, _c in lines}
    done_pairs, per_month_all = set(), defaultdict(int)
    inspections = Inspection.objects.filter(archived_at__isnull=True, inspected_at__gte=start, inspected_at__lt=end,
                                            place__owner_enterprise_id__in=PlannedInspection.objects.filter(plan=plan)
                                            .values("enterprise_id"))
    for enterprise, month, n in inspections.annotate(month=ExtractMonth("inspected_at")) \
            .values_list("place__owner_enterprise_id", "month").annotate(n=Count("id")):
        done_pairs.add((enterprise, month))
        per_month_all[month] += n
    months = [{"month": m, "planned": 0, "done": 0, "recorded": per_month_all.get(m, 0)} for m in range(1, 13)]
    classes = {c: {"class": c, "label": SupervisionClass(c).label, "enterprises": 0, "planned": 0, "done": 0}
               for c in SupervisionClass.values}
    for enterprise, month, cls in lines:
        done = (enterprise, month) in done_pairs
        months[month - 1]["planned"] += 1
        months[month - 1]["done"] += done
        classes[cls]["planned"] += 1
        classes[cls]["done"] += done
    # enterprises per class: every classified enterprise of the department, D (no planned visit) too
    for manual, computed in EnterpriseClass.objects.filter(year=plan.year, archived_at__isnull=True,
                                                           enterprise__in=enterprises_of(plan.department)) \
            .values_list("manual_class", "computed_class"):
        classes[manual or computed]["enterprises"] += 1
    today = timezone.localdate()
    due_months = 12 if today.year > plan.year else (today.month if today.year == plan.year else 0)
    planned, done = len(lines), sum(m["done"] for m in months)
    due = sum(m["planned"] for m in months[:due_months])
    peak = max([m["planned"] for m in months] + [1])
    for m in months:  # SVG bars on a 0..160 scale (the CSP allows no inline styles)
        m["planned_h"], m["done_h"] = round(160 * m["planned"] / peak), round(160 * m["done"] / peak)
        m["planned_y"], m["done_y"] = 170 - m["planned_h"], 170 - m["done_h"]
        m["x"], m["label_x"] = (m["month"] - 1) * 100 + 20, (m["month"] - 1) * 100 + 50
    return {"months": months, "classes": list(classes.values()), "planned": planned, "done": done,
            "due_so_far": due, "enterprises": sum(c["enterprises"] for c in classes.values()),
            "planned_enterprises": len(enterprises),
            "percent": round(100 * done / planned, 1) if planned else 0.0}


def draws_for(user):
    return scope.narrow(user, RandomDraw.objects.all()).select_related("department").order_by("-drawn_at", "-id")


def _outcome(row: DrawnInspection) -> str:
    from django.utils.translation import gettext as _

    task = row.task
    if task is None:
        return _("待检查")
    last = max(task.inspections.all(), key=lambda i: i.inspected_at, default=None)
    if last is None:
        return _("待检查")
    if last.failed:
        return _("发现问题%(n)s项，已责令整改") % {"n": last.failed}
    return _("未发现问题")


def draw_rows(record: RandomDraw, *, public: bool) -> list[dict]:
    """The drawn inspections as shown: enterprise, inspectors, outcome. Public: an inspector's
    name and a masked phone only (nothing else personal is published)."""
    rows = DrawnInspection.objects.filter(draw=record).select_related(
        "enterprise", "enterprise__township", "lead_inspector", "second_inspector", "task") \
        .prefetch_related("task__inspections").order_by("position")
    shown = []
    for row in rows:
        people = [row.lead_inspector, row.second_inspector]
        shown.append({
            "position": row.position, "enterprise": row.enterprise.name, "enterprise_id": row.enterprise_id,
            "township": row.enterprise.township.name,
            "inspectors": [{"name": p.name, "phone": mask_phone(p.phone)} if public else
                           {"name": p.name, "phone": p.phone, "certificate_number": p.certificate_number,
                            "qualification": p.get_qualification_display()} for p in people],
            "task_id": row.task_id, "outcome": _outcome(row)})
    return shown


def public_draws():
    """Every draw, for the page without sign-in (一公开): draws are public once made."""
    return RandomDraw.objects.filter(archived_at__isnull=True).select_related("department").order_by("-drawn_at", "-id")
