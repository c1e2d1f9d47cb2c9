"""Registry reads. Every query starts from `scope.narrow`, so nothing outside the
caller's data scope can be listed or fetched (it simply does not exist for them)."""
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from citysafe.accounts.models import Organisation
from citysafe.core import scope
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place

# What each list can be searched on, filtered by, and ordered by.
LISTS = {
    "enterprises": {
        "model": Enterprise,
        "search": ["name", "uscc", "address", "legal_representative"],
        "filters": {"township_id", "village_id", "grid_id", "industry_id", "scale", "standardisation_grade",
                    "operating_status", "supervising_department_id"},
        "ordering": {"id", "name", "uscc", "created_at", "updated_at"},
        "related": ["industry", "township", "grid", "supervising_department"],
    },
    "places": {
        "model": Place,
        "search": ["name", "address"],
        "filters": {"township_id", "village_id", "grid_id", "industry_id", "place_type", "owner_enterprise_id",
                    "supervising_department_id"},
        "ordering": {"id", "name", "place_type", "capacity", "created_at", "updated_at"},
        "related": ["industry", "township", "grid", "owner_enterprise"],
    },
    "persons": {
        "model": Person,
        "search": ["name", "phone", "title"],
        "filters": {"township_id", "grid_id", "enterprise_id", "organisation_id"},
        "ordering": {"id", "name", "created_at"},
        "related": ["enterprise", "organisation", "township"],
    },
    "areas": {
        "model": Area,
        "search": ["name", "code"],
        "filters": {"level", "parent_id", "township_id"},
        "ordering": {"id", "code", "name"},
        "related": ["parent"],
    },
    "industries": {
        "model": Industry,
        "search": ["name", "code"],
        "filters": set(),
        "ordering": {"id", "code", "name"},
        "related": [],
    },
    "organisations": {
        "model": Organisation,
        "search": ["name", "code"],
        "filters": {"kind", "area_id"},
        "ordering": {"id", "code", "name", "kind"},
        "related": ["area"],
    },
}


class BadQuery(ValueError):
    """A filter or ordering that the list does not offer (the API answers 422)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def list_records(user, resource: str, *, search: str = "", filters: dict | None = None,
                 ordering: str = "id", include_archived: bool = False) -> QuerySet:
    spec = LISTS[resource]
    queryset = scope.narrow(user, spec["model"].objects.all(), include_archived=include_archived)
    if spec["related"]:
        queryset = queryset.select_related(*spec["related"])
    for name, value in (filters or {}).items():
        if value in (None, ""):
            continue
        if name not in spec["filters"]:
            raise BadQuery(name, _("不支持按“%(name)s”筛选") % {"name": name})
        queryset = queryset.filter(**{name: _filter_value(spec["model"], name, value)})
    if search:
        term = search.strip()
        queryset = queryset.filter(
            Q(*[Q(**{f"{f}__icontains": term}) for f in spec["search"]], _connector=Q.OR)
        )
    key = ordering.lstrip("-")
    if key not in spec["ordering"]:
        raise BadQuery("ordering", _("不支持按“%(key)s”排序，可选：%(choices)s")
                       % {"key": key, "choices": "、".join(sorted(spec["ordering"]))})
    return queryset.order_by(ordering, "id" if key != "id" else ordering)


# Database integer keys are signed 64-bit; a larger number is a bad filter, not a crash.
_MAX_KEY = 2**63 - 1


def _filter_value(model: type[Model], name: str, value):
    """The filter value as its field's Python type; a value the field cannot hold is named (422)
    here instead of failing inside the database driver (500)."""
    field = model._meta.get_field(name)
    try:
        value = getattr(field, "target_field", field).to_python(value)
    except ValidationError:
        value = None
    if value is None or (isinstance(value, int) and not -_MAX_KEY <= value <= _MAX_KEY):
        raise BadQuery(name, _("筛选条件“%(name)s”的取值无效") % {"name": name})
    return value


def get_record(user, resource: str, pk, include_archived: bool = False):
    """One record inside the caller's scope; `Model.DoesNotExist` (404) outside it."""
    spec = LISTS[resource]
    queryset = scope.narrow(user, spec["model"].objects.all(), include_archived=include_archived)
    if spec["related"]:
        queryset = queryset.select_related(*spec["related"])
    return queryset.get(pk=pk)
