"""The base of every record kind's page form. Field names are the service's dict keys, so a
service ValidationError maps straight back onto the field it names. Forms only parse input;
every rule lives in the services, which the views call.

Choices that follow each other are declared, not scripted: `FOLLOWS = {"grid_id":
{"township_id": "township", "village_id": "parent"}}` says the grid's options are those whose
`township` is the chosen township and whose `parent` the chosen village. The form offers them
(`options_for`), the kind's options endpoint (core.kinds.choice_views) answers the same for
htmx when a parent changes, and large reference fields (`PICKERS`) become a typed-ahead search
(core.kinds.widgets.PickerInput) that still accepts a plain id without JavaScript."""
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse

from citysafe.core import scope
from citysafe.core.kinds.location import (
    COORDINATE_SYSTEM,
    MapPicker,
    clean_location,
    coordinate_system_field,
    picker_text,
)
from citysafe.core.kinds.widgets import PickerInput


class RecordForm(forms.Form):
    """Base: choice querysets limited to what the user may point each reference at (the
    model's `references`, core.scope.choice_targets — within the rule the services enforce);
    `allowed` drops fields the user's role may not change; `to_service_data` turns cleaned
    values into service keys. An edit form (`editing`) carries the record's version it was
    made on, hidden: a stale save is refused (core.concurrency), never written over someone else's."""

    model = None  # the record kind, whose `references` limit the choices
    map_picker: MapPicker | None = None  # location fields the map picker fills (core.kinds.location)

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    # Form-only helper fields and the service field they stand for (for the field limits).
    FORM_ONLY: dict[str, str] = {}
    # Form field → model field where the names differ beyond the "_id" suffix.
    REFERENCE_FIELDS = {"industry_ids": "industries", "responsible_person_ids": "responsible_persons"}
    # Choice field → {parent form field: lookup on the choice's model}: its options follow the parents.
    FOLLOWS: dict[str, dict[str, str]] = {}
    # Fields that only narrow other fields' options (a village before the grid): never saved.
    CHOICE_HELPERS: frozenset[str] = frozenset()
    # Reference fields with too many targets for a <select>: a typed-ahead, scoped search.
    PICKERS: frozenset[str] = frozenset()

    # Left empty, the service works these out (township from the location, department from
    # the industry), so an empty value means "not given", never "clear it".
    AUTO_FIELDS = {"township_id", "supervising_department_id"}

    def __init__(self, *args, user, allowed: set[str] | None = None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.editing = editing
        self.coordinate_note = ""
        self.choosable = {}  # field → what may be chosen (without the record's current value)
        helpers_without_options = []
        if not editing:
            del self.fields["version"]
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if name in self.CHOICE_HELPERS:
                narrowed = scope.narrow(user, field.queryset)
                if not narrowed.exists():
                    helpers_without_options.append(name)  # e.g. a grid worker sees no village
            else:
                model_field = self.REFERENCE_FIELDS.get(name, name.removesuffix("_id"))
                narrowed = field.queryset.filter(pk__in=scope.choice_targets(user, self.model, model_field).values("pk"))
            self.choosable[name] = narrowed
            # Choices are what the user may choose, plus the record's current value(s): a grid
            # worker editing an enterprise keeps its township without seeing all townships.
            current = self._current(name, self.initial)
            if current:
                narrowed = narrowed | field.queryset.model.objects.filter(pk__in=current)
            field.queryset = narrowed.distinct()
            if name in self.PICKERS:
                field.widget = PickerInput()
        for name in helpers_without_options:
            del self.fields[name]
            del self.choosable[name]
        if allowed is not None:
            for name in list(self.fields):
                if self.FORM_ONLY.get(name, name) not in allowed and name != "version":
                    del self.fields[name]
        if self.map_picker is not None and not any(n in self.fields for n in self.map_picker.field_names):
            self.map_picker = None  # the role may not set the location: no map to pick it on
        if self.map_picker is not None:
            self.fields[COORDINATE_SYSTEM] = coordinate_system_field()
        self._show_following_options()

    def clean(self):
        cleaned = super().clean()
        if self.map_picker is not None:
            cleaned = clean_location(self, cleaned)
        return cleaned

    @property
    def picker_text(self) -> dict:
        return picker_text()

    def layout(self) -> list[dict]:
        """Visible fields in order for the template, the picker's fields gathered into one
        {"picker": ..., "fields": [...]} entry where the first of them stands."""
        names = set(self.map_picker.field_names) | {COORDINATE_SYSTEM} if self.map_picker else set()
        rows, picker_row = [], None
        for bound in self.visible_fields():
            if bound.name not in names:
                rows.append({"field": bound})
                continue
            if picker_row is None:
                picker_row = {"picker": self.map_picker, "fields": {}}
                rows.append(picker_row)
            picker_row["fields"][bound.name] = bound
        if picker_row is not None:
            # The order inside the fieldset: coordinate system, the numbers, then GeoJSON.
            order = [COORDINATE_SYSTEM, self.map_picker.lon, self.map_picker.lat, self.map_picker.geometry]
            picker_row["fields"] = [picker_row["fields"][n] for n in order if n in picker_row["fields"]]
            picker_row["ids"] = {key: self[name].auto_id for key, name in (
                ("lon", self.map_picker.lon), ("lat", self.map_picker.lat), ("geometry", self.map_picker.geometry),
                ("crs", COORDINATE_SYSTEM)) if name in self.fields}
        return rows

    # Service error keys that are not form fields, and the field they belong under.
    ERROR_FIELDS = {"location": "lon"}

    def error_field(self, key: str) -> str | None:
        """The form field a service error on `key` belongs under, or None."""
        name = self.ERROR_FIELDS.get(key, key)
        if name in self.fields:
            return name
        if f"{key}_id" in self.fields:
            return f"{key}_id"
        return None

    @staticmethod
    def _current(name, values) -> list:
        current = values.get(name)
        current = current if isinstance(current, (list, tuple, set)) else [current]
        return [getattr(c, "pk", c) for c in current if c not in (None, "")]

    def _values(self) -> dict:
        return self.data if self.is_bound else {k: getattr(v, "pk", v) for k, v in self.initial.items()}

    def options_for(self, name: str, values) -> QuerySet:
        """The options of `name` given the other fields' `values`: what the user may choose,
        narrowed by each parent it follows whose value is itself one of that parent's options
        (a village of another township does not narrow the grids of this one)."""
        options = self.choosable[name]
        for parent, lookup in self.FOLLOWS.get(name, {}).items():
            value = values.get(parent)
            if parent not in self.choosable or value in (None, "") or not str(value).isdigit():
                continue
            if self.options_for(parent, values).filter(pk=value).exists():
                options = options.filter(**{lookup: value})
        return options

    def _show_following_options(self) -> None:
        """Show each following field with only the options its parents allow (and its own
        value, so a refused combination is still on screen). Only the shown options narrow;
        validation takes anything choosable, and the service judges the combination."""
        values = self._values()
        for name in self.FOLLOWS:
            if name not in self.fields or name not in self.choosable:
                continue
            field = self.fields[name]
            shown = self.options_for(name, values)
            current = [pk for pk in self._current(name, values) if str(pk).isdigit()]
            if current:  # only among the choosable ones and the record's own: no other name shows
                shown = field.queryset.filter(Q(pk__in=shown.values("pk")) | Q(pk__in=current))
            field.widget.choices = [("", field.empty_label or ""), *((o.pk, str(o)) for o in shown)]

    def wire_choices(self, namespace: str, key: str) -> None:
        """Give following fields their htmx wiring (reload options when a parent changes) and
        pickers their search URL. Called by the views, which know the kind's URLs."""
        for name, parents in self.FOLLOWS.items():
            if name not in self.fields:
                continue
            present = [f"#{self[p].auto_id}" for p in parents if p in self.fields]
            if not present:
                continue
            self.fields[name].widget.attrs.update({
                "hx-get": reverse(f"{namespace}:options", args=[key, name]),
                "hx-trigger": ", ".join(f"change from:{p}" for p in present),
                "hx-include": ", ".join(present), "hx-target": "this", "hx-swap": "innerHTML",
                "hx-sync": "this:replace", "data-follows": " ".join(p for p in parents if p in self.fields),
            })
        for name in self.PICKERS:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["data-picker-url"] = reverse(f"{namespace}:lookup", args=[key, name])
                widget.label = self._picked_label(name)

    def _picked_label(self, name: str) -> str:
        """The name of the record a picker holds (only when the user may see it)."""
        current = self._current(name, self._values())
        if not current or not str(current[0]).isdigit():
            return ""
        found = self.fields[name].queryset.filter(pk=current[0]).first()
        return str(found) if found is not None and scope.may_read_related(self.user, found) else ""

    @classmethod
    def initial_from(cls, instance) -> dict:
        """Form values for editing `instance`; many-to-many fields are filled by subclasses."""
        return {name: getattr(instance, name) for name, field in cls.base_fields.items()
                if not isinstance(field, forms.ModelMultipleChoiceField) and hasattr(instance, name)}

    def to_service_data(self, creating: bool = False) -> dict:
        data = {}
        for name, value in self.cleaned_data.items():
            if name in ("version", COORDINATE_SYSTEM) or name in self.CHOICE_HELPERS:
                continue  # the version goes to the service as expected_version; helpers only narrow
            if value in (None, "") and (creating or name in self.AUTO_FIELDS):
                continue
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
                data[name] = [obj.pk for obj in value]
            elif isinstance(self.fields[name], forms.ModelChoiceField):
                data[name] = value.pk if value is not None else None
            else:
                data[name] = value
        return data
