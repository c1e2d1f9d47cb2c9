"""The home page: what each role is responsible for, counted inside its data scope.

It counts registry records, so it lives in the registry (accounts, below it, does not import
the registry); mounted at "/" by config/urls.py. Every count goes through the kinds' selectors
(list_records applies core.scope), so a user only ever counts what it may see. The "待办"
section is filled by the providers apps register with core.todo."""
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import todo
from citysafe.core.roles import Role
from citysafe.registry.io.models import DataJob
from citysafe.registry.models import Area, Enterprise, PlaceType
from citysafe.registry.selectors import list_records

S = Enterprise.OperatingStatus
SUSPENSION_HORIZON = timedelta(days=7)


def _totals(user) -> dict:
    return {name: list_records(user, name).count() for name in ("enterprises", "places", "persons")}


def _count_by(user, resource: str, field: str) -> dict:
    return dict(list_records(user, resource).order_by().values_list(field).annotate(n=Count("id")))


def _by_township(user) -> list[dict]:
    """County figures, a row per township (admin, leader)."""
    townships = list(list_records(user, "areas", filters={"level": Area.Level.TOWNSHIP}, ordering="code"))
    counts = {name: _count_by(user, name, "township") for name in ("enterprises", "places")}
    persons = _count_by(user, "persons", "township")
    return [{"area": t, "enterprises": counts["enterprises"].get(t.pk, 0), "places": counts["places"].get(t.pk, 0),
             "persons": persons.get(t.pk, 0)} for t in townships]


def _by_village(user, township) -> list[dict]:
    """A township's villages with their grids and counts (township officer)."""
    villages = list(list_records(user, "areas", filters={"level": Area.Level.VILLAGE}, ordering="code")
                    .filter(township=township))
    grids = _count_by(user, "areas", "parent")
    enterprises = _count_by(user, "enterprises", "village")
    places = _count_by(user, "places", "village")
    return [{"area": v, "grids": grids.get(v.pk, 0), "enterprises": enterprises.get(v.pk, 0),
             "places": places.get(v.pk, 0)} for v in villages]


def _by_status(user) -> list[dict]:
    counts = _count_by(user, "enterprises", "operating_status")
    return [{"value": value, "label": label, "n": counts.get(value, 0)} for value, label in S.choices]


def _places_by_type(user, top: int = 8) -> list[dict]:
    labels = dict(PlaceType.choices)
    counts = sorted(_count_by(user, "places", "place_type").items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [{"value": value, "label": labels.get(value, value), "n": n} for value, n in counts]


def _by_industry(user) -> list[dict]:
    """Enterprise and place counts per supervised industry of a department."""
    industries = list(user.organisation.industries.order_by("code")) if user.organisation else []
    enterprises = _count_by(user, "enterprises", "industry")
    places = _count_by(user, "places", "industry")
    return [{"industry": i, "enterprises": enterprises.get(i.pk, 0), "places": places.get(i.pk, 0)}
            for i in industries]


def _by_grid(user) -> list[dict]:
    grids = list(list_records(user, "areas", filters={"level": Area.Level.GRID}, ordering="code"))
    enterprises = _count_by(user, "enterprises", "grid")
    places = _count_by(user, "places", "grid")
    return [{"grid": g, "enterprises": enterprises.get(g.pk, 0), "places": places.get(g.pk, 0)} for g in grids]


def _busiest_places(user, n: int = 5) -> list:
    return list(list_records(user, "places").filter(people_present__isnull=False)
                .order_by(F("people_present").desc(), "id")[:n])


def _recent_jobs(user, n: int = 5) -> list:
    # Admin only: the county office's recent imports and exports (its own and others').
    return list(DataJob.objects.select_related("user").order_by("-id")[:n])


def suspension_deadlines(user) -> list[todo.TodoItem]:
    """Suspended enterprises whose rectification deadline is within 7 days or past
    (registered with core.todo by RegistryConfig.ready)."""
    if user.role not in (Role.ADMIN, Role.TOWNSHIP, Role.ENTERPRISE):
        return []
    now = timezone.now()
    due = (list_records(user, "enterprises").filter(operating_status=S.SUSPENDED, due_at__isnull=False,
                                                     due_at__lte=now + SUSPENSION_HORIZON).order_by("due_at", "id"))
    return [todo.TodoItem(
        title=(_("%(name)s 停产整顿已逾期") if e.due_at < now else _("%(name)s 停产整顿即将到期")) % {"name": e.name},
        url=reverse("registry:detail", args=["enterprises", e.pk]), due=e.due_at,
        level="danger" if e.due_at < now else "warning") for e in due[:50]]


@login_required
def home(request):
    user = request.user
    context = {"role": user.role, "totals": _totals(user), "todos": todo.items_for(user)}
    if user.role == Role.ADMIN:
        context["townships"] = _by_township(user)
        context["jobs"] = _recent_jobs(user)
    elif user.role == Role.LEADER:
        context["townships"] = _by_township(user)
        context["statuses"] = _by_status(user)
        context["place_types"] = _places_by_type(user)
    elif user.role == Role.DEPARTMENT:
        context["industries"] = _by_industry(user)
    elif user.role == Role.TOWNSHIP:
        township = user.organisation.area if user.organisation else None
        context["township"] = township
        context["villages"] = _by_village(user, township) if township else []
        context["grid_count"] = list_records(user, "areas", filters={"level": Area.Level.GRID}).count()
    elif user.role == Role.GRID:
        context["grids"] = _by_grid(user)
        context["busiest"] = _busiest_places(user)
    elif user.role == Role.ENTERPRISE:
        enterprise = list_records(user, "enterprises").select_related("safety_officer", "industry", "township").first()
        context["enterprise"] = enterprise
        if enterprise:
            places = list_records(user, "places").filter(owner_enterprise=enterprise)
            context["own_places"] = list(places.order_by("id")[:20])
            context["own_place_count"] = places.count()
            context["own_person_count"] = list_records(user, "persons").filter(enterprise=enterprise).count()
    return render(request, "home.html", context)
