"""`RecordKind`: everything core needs to know about one kind of record, declared once in
the app that owns it (e.g. citysafe/registry/kinds.py) and registered in its AppConfig.ready().

From it core builds the selectors (core.kinds.selectors), the REST router (core.kinds.api),
the list/detail/edit/archive pages (core.kinds.views, core.kinds.urls) and the scope-matrix
test cases. Permissions, field limits, scope keys and references are not repeated here: they
are declared on the model and in core.scope, and the kind refers to its model.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model

from citysafe.core import records


@dataclass(frozen=True)
class Column:
    """A column of the list page: `value(obj)` gives the cell (a related record is shown only
    where the viewer may see it)."""

    label: str
    value: Callable[[Model], object]
    key: str = ""


@dataclass(frozen=True)
class Filter:
    """A filter widget of the list page: `name` is one of the kind's `filters`; its options
    come from `choices(user)` (a list of (value, label)). A filter that `follows` others
    ({parent filter: lookup}) gets their chosen values as keyword arguments,
    `choices(user, township=5)`, and the list page reloads its options when they change
    (grid follows village follows township). A preset (`where={value: Q}`) names no model
    field: each of its values stands for a condition, e.g. 未销号 = five statuses (used by the
    dashboard's drill-downs; the list, its count and its export apply the same Q)."""

    name: str
    label: str
    choices: Callable
    follows: dict = field(default_factory=dict, hash=False, compare=False)
    where: dict = field(default_factory=dict, hash=False, compare=False)


def fixed(choices) -> Callable:
    """Filter options that do not depend on the user (a TextChoices' choices)."""
    return lambda user: list(choices)


def _point_or_geometry(obj):
    return getattr(obj, "geometry", None)


@dataclass(eq=False)
class RecordKind:
    # identity
    key: str                        # URL segment of pages and API ("enterprises"), API tag
    singular: str                   # operation ids and schema names ("Enterprise")
    model: type[Model]
    title: str                      # Chinese label of the list page
    namespace: str                  # URL namespace of the pages ("registry")
    # lists: search (icontains), filters (field names; *_id typed as ids, choice fields as
    # enums), ordering keys, related rows read with the record (select_related)
    search: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("id",)
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()          # many-to-many fields the item shows
    detail_prefetch: tuple[str, ...] = ()
    # API schemas (response item, detail; request bodies)
    item: type | None = None
    detail: type | None = None
    create_in: type | None = None
    update_in: type | None = None
    # list fields computed per row in the fast list path: name -> fill(rows, user), which
    # sets rows[i][name] for every row (see core.kinds.listing)
    list_fields: dict[str, Callable] = field(default_factory=dict)
    # writes: the app's service functions (permission, scope, transaction, audit)
    create: Callable | None = None
    update: Callable | None = None
    archive: Callable = records.archive_record
    restore: Callable = records.restore_record
    purge: Callable = records.purge_record
    # pages
    form: type | None = None
    columns: list[Column] = field(default_factory=list)
    page_filters: list[Filter] = field(default_factory=list)
    geometry: Callable[[Model], object] = _point_or_geometry
    # Extra detail-page sections: detail_extras(request, obj) -> context, shown by the
    # templates named in detail_templates (app-specific pages without branching in core).
    detail_extras: Callable | None = None
    detail_templates: tuple[str, ...] = ()
    # import/export (the app's workbook kind; its `save` calls this kind's services) and the
    # URL name of the list's export download (takes the kind's key), if any
    io: object | None = None
    export_url: str = ""
    # Records of mixed geometry (points, lines, polygons): the list offers one GeoJSON export per
    # geometry type, since a Shapefile holds one type only.
    mixed_geometry: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def presets(self) -> dict:
        """{filter name: {value: Q}} of the page filters that are presets (see Filter)."""
        return {f.name: f.where for f in self.page_filters if f.where}

    @property
    def urls(self) -> dict[str, str]:
        """URL names of the kind's pages, for `{% url res.urls.detail res.key obj.pk %}`."""
        return {name: f"{self.namespace}:{name}"
                for name in ("list", "create", "detail", "edit", "archive", "purge", "restore", "options",
                             "filter_options", "lookup")}

    def save(self, actor, pk, data: dict, **kwargs):
        """Create (pk None) or update one record through the kind's services."""
        if pk is None:
            return self.create(actor, data)
        return self.update(actor, pk, data, **kwargs)
