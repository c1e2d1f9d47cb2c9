"""The base of every record kind's page form. Field names are the service's dict keys, so a
service ValidationError maps straight back onto the field it names. Forms only parse input;
every rule lives in the services, which the views call."""
from django import forms

from citysafe.core import scope
from citysafe.core.kinds.location import (
    COORDINATE_SYSTEM,
    MapPicker,
    clean_location,
    coordinate_system_field,
    picker_text,
)


class RecordForm(forms.Form):
    """Base: choice querysets limited to what the user may point each reference at (the
    model's `references`, core.scope.reference_targets — the rule the services enforce);
    `allowed` drops fields the user's role may not change; `to_service_data` turns cleaned
    values into service keys. An edit form (`editing`) carries the record's version it was
    made on, hidden: a stale save is refused (core.concurrency), never written over someone else's."""

    model = None  # the record kind, whose `references` limit the choices
    map_picker: MapPicker | None = None  # location fields the map picker fills (core.kinds.location)

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, user, allowed: set[str] | None = None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.editing = editing
        self.coordinate_note = ""
        if not editing:
            del self.fields["version"]
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            # Choices are what the user may choose, plus the record's current value(s): a grid
            # worker editing an enterprise keeps its township without seeing all townships.
            model_field = self.REFERENCE_FIELDS.get(name, name.removesuffix("_id"))
            targets = scope.reference_targets(user, self.model, model_field)
            narrowed = field.queryset.filter(pk__in=targets.values("pk"))
            current = self.initial.get(name)
            current = current if isinstance(current, (list, tuple, set)) else [current]
            current = [getattr(c, "pk", c) for c in current if c not in (None, "")]
            if current:
                narrowed = narrowed | field.queryset.model.objects.filter(pk__in=current)
            field.queryset = narrowed.distinct()
        if allowed is not None:
            for name in list(self.fields):
                if self.FORM_ONLY.get(name, name) not in allowed and name != "version":
                    del self.fields[name]
        if self.map_picker is not None and not any(n in self.fields for n in self.map_picker.field_names):
            self.map_picker = None  # the role may not set the location: no map to pick it on
        if self.map_picker is not None:
            self.fields[COORDINATE_SYSTEM] = coordinate_system_field()

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

    @classmethod
    def initial_from(cls, instance) -> dict:
        """Form values for editing `instance`; many-to-many fields are filled by subclasses."""
        return {name: getattr(instance, name) for name, field in cls.base_fields.items()
                if not isinstance(field, forms.ModelMultipleChoiceField) and hasattr(instance, name)}

    # Form-only helper fields and the service field they stand for (for the field limits).
    FORM_ONLY: dict[str, str] = {}
    # Form field → model field where the names differ beyond the "_id" suffix.
    REFERENCE_FIELDS = {"industry_ids": "industries", "responsible_person_ids": "responsible_persons"}

    # Left empty, the service works these out (township from the location, department from
    # the industry), so an empty value means "not given", never "clear it".
    AUTO_FIELDS = {"township_id", "supervising_department_id"}

    def to_service_data(self, creating: bool = False) -> dict:
        data = {}
        for name, value in self.cleaned_data.items():
            if name in ("version", COORDINATE_SYSTEM):
                continue  # passed to the service as expected_version, not as a field
            if value in (None, "") and (creating or name in self.AUTO_FIELDS):
                continue
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
                data[name] = [obj.pk for obj in value]
            elif isinstance(self.fields[name], forms.ModelChoiceField):
                data[name] = value.pk if value is not None else None
            else:
                data[name] = value
        return data
