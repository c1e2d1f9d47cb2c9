"""Reads of any record kind. Every query starts from `scope.narrow`, so nothing outside the
caller's data scope can be listed or fetched (it simply does not exist for them)."""
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Model, Q, QuerySet
from django.utils.translation import gettext as _

from citysafe.core import scope


class BadQuery(ValueError):
    """A filter, filter value or ordering that the list does not offer (the API answers 422)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def list_records(user, kind, *, search: str = "", filters: dict | None = None, ordering: str = "id",
                 include_archived: bool = False, related: bool = True) -> QuerySet:
    queryset = scope.narrow(user, kind.model.objects.all(), include_archived=include_archived)
    if related and kind.related:
        queryset = queryset.select_related(*kind.related)
    presets = kind.presets
    for name, value in (filters or {}).items():
        if value in (None, ""):
            continue
        if name in presets and name not in kind.filters:
            if value not in presets[name]:
                raise BadQuery(name, _("筛选条件“%(name)s”的取值无效") % {"name": name})
            queryset = queryset.filter(presets[name][value])
            continue
        if name not in kind.filters:
            raise BadQuery(name, _("不支持按“%(name)s”筛选") % {"name": name})
        queryset = queryset.filter(**{name: filter_value(kind.model, name, value)})
    if search:
        term = search.strip()
        queryset = queryset.filter(Q(*[Q(**{f"{f}__icontains": term}) for f in kind.search], _connector=Q.OR))
    key = ordering.lstrip("-")
    if key not in kind.ordering:
        raise BadQuery("ordering", _("不支持按“%(key)s”排序，可选：%(choices)s")
                       % {"key": key, "choices": "、".join(sorted(kind.ordering))})
    return queryset.order_by(ordering, "id" if key != "id" else ordering)


# Database integer keys are signed 64-bit; a larger number is a bad filter, not a crash.
_MAX_KEY = 2**63 - 1


def filter_value(model: type[Model], name: str, value):
    """The filter value as its field's Python type; a value the field cannot hold, or a value
    outside the field's choices, is named (422) instead of silently matching nothing."""
    field = model._meta.get_field(name)
    if isinstance(field, BooleanField) and isinstance(value, str):
        # links write ?is_overdue=true (JSON's spelling); the model field knows only t/True/1
        value = {"true": True, "false": False}.get(value.lower(), value)
    try:
        value = getattr(field, "target_field", field).to_python(value)
    except ValidationError:
        value = None
    if value is None or (isinstance(value, int) and not -_MAX_KEY <= value <= _MAX_KEY):
        raise BadQuery(name, _("筛选条件“%(name)s”的取值无效") % {"name": name})
    if field.choices and str(value) not in {str(v) for v, _label in field.flatchoices}:
        raise BadQuery(name, _("筛选条件“%(name)s”的取值无效，可选：%(choices)s") % {
            "name": name, "choices": "、".join(str(v) for v, _label in field.flatchoices)})
    return value


def get_record(user, kind, pk, include_archived: bool = False):
    """One record inside the caller's scope; `Model.DoesNotExist` (404) outside it."""
    queryset = scope.narrow(user, kind.model.objects.all(), include_archived=include_archived)
    if kind.related:
        queryset = queryset.select_related(*kind.related)
    return queryset.get(pk=pk)
