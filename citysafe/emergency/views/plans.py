"""The emergency index page and the statistics of plans and drills by area and level."""
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from citysafe.core import scope
from citysafe.emergency.kinds import KIND_BY_KEY, KINDS
from citysafe.emergency.models import Drill, ImprovementAction, Plan
from citysafe.emergency.reminders import overdue_actions, overdue_drills, overdue_plans
from citysafe.registry.models import Area

PLAN_KINDS = {"plans", "drills", "drill-actions"}
RESOURCE_ORDER = ("stockpiles", "materials", "teams", "experts", "shelters", "fire-stations", "water-sources",
                  "hospitals", "mutual-aid")


@login_required
@require_GET
def index(request):
    return render(request, "emergency/index.html", {
        "resources": [KIND_BY_KEY[key] for key in RESOURCE_ORDER],
        "plans": [k for k in KINDS if k.key in PLAN_KINDS]})


@login_required
@require_GET
def plan_statistics(request):
    user = request.user
    plans = scope.narrow(user, Plan.objects.all())
    drills = scope.narrow(user, Drill.objects.all())
    actions = scope.narrow(user, ImprovementAction.objects.all())
    by_area_level = Counter(plans.values_list("township_id", "level"))
    drills_by_area = Counter(drills.filter(held_on__isnull=False).values_list("township_id", flat=True))
    open_by_area = Counter(actions.filter(status=ImprovementAction.Status.OPEN).values_list("drill__township_id",
                                                                                             flat=True))
    overdue_by_area = Counter(overdue_plans(plans).values_list("township_id", flat=True))
    levels = Plan.Level.choices
    rows = []
    for area in scope.narrow(user, Area.objects.filter(level="township")).order_by("code"):
        rows.append({"area": area, "levels": [by_area_level.get((area.pk, value), 0) for value, _l in levels],
                     "drills": drills_by_area.get(area.pk, 0), "open_actions": open_by_area.get(area.pk, 0),
                     "overdue_reviews": overdue_by_area.get(area.pk, 0)})
    return render(request, "emergency/plan_statistics.html", {
        "levels": levels, "rows": rows,
        "overdue_plans": overdue_plans(plans).select_related("township").order_by("review_due")[:50],
        "overdue_drills": overdue_drills(drills).select_related("township").order_by("planned_on")[:50],
        "overdue_actions": overdue_actions(actions).select_related("drill").order_by("due_on")[:50]})
