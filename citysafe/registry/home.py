"""The home page: what each role is responsible for, counted inside its data scope.

It counts registry records, so it lives in the registry (accounts, below it, does not import
the registry); mounted at "/" by config/urls.py."""
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from citysafe.core.roles import Role
from citysafe.registry.models import Area
from citysafe.registry.selectors import list_records


def _totals(user) -> dict:
    return {name: list_records(user, name).count() for name in ("enterprises", "places", "persons")}


def _areas_by_level(user) -> list[tuple[str, int]]:
    counts = dict(list_records(user, "areas").order_by().values_list("level").annotate(n=Count("id")))
    return [(label, counts.get(value, 0)) for value, label in Area.Level.choices]


def _by_industry(user) -> list[dict]:
    """Enterprise and place counts per supervised industry of a department."""
    industries = list(user.organisation.industries.order_by("code")) if user.organisation else []
    enterprises = dict(list_records(user, "enterprises").order_by().values_list("industry").annotate(n=Count("id")))
    places = dict(list_records(user, "places").order_by().values_list("industry").annotate(n=Count("id")))
    return [{"industry": i, "enterprises": enterprises.get(i.pk, 0), "places": places.get(i.pk, 0)}
            for i in industries]


def _by_grid(user) -> list[dict]:
    grids = list(list_records(user, "areas", filters={"level": Area.Level.GRID}, ordering="code"))
    enterprises = dict(list_records(user, "enterprises").order_by().values_list("grid").annotate(n=Count("id")))
    places = dict(list_records(user, "places").order_by().values_list("grid").annotate(n=Count("id")))
    return [{"grid": g, "enterprises": enterprises.get(g.pk, 0), "places": places.get(g.pk, 0)} for g in grids]


@login_required
def home(request):
    user = request.user
    context = {"role": user.role, "totals": _totals(user)}
    if user.role in (Role.ADMIN, Role.LEADER):
        context["areas_by_level"] = _areas_by_level(user)
    elif user.role == Role.DEPARTMENT:
        context["industries"] = _by_industry(user)
    elif user.role == Role.TOWNSHIP:
        context["township"] = user.organisation.area if user.organisation else None
        context["areas_by_level"] = _areas_by_level(user)
    elif user.role == Role.GRID:
        context["grids"] = _by_grid(user)
    elif user.role == Role.ENTERPRISE:
        context["enterprise"] = list_records(user, "enterprises").first()
    return render(request, "home.html", context)
