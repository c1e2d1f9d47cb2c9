"""Record kinds of the emergency app, generated from their models.

The emergency app has a dozen record kinds of the same shape (plain, choice, number, date and
foreign-key fields, a point location). Writing each kind's four schemas, page form, workbook
columns and two services by hand (tests/kindapp: ~200 lines a kind) would repeat the same
mapping a dozen times, so this module derives them from the model's fields once; rules that
are particular to a kind are passed in as `check(instance, data, errors)`."""
from datetime import date, datetime
from typing import Optional

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import create_model

from citysafe.core import scope
from citysafe.core.audit import snapshot
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.location import MapPicker
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import (
    Coordinate,
    Count,
    Id,
    MultilineText,
    NotOnCreate,
    Text,
    Version,
    choice_in,
    choice_out,
)
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_location
from citysafe.registry.io.kinds.base import Column as Cell
from citysafe.registry.io.kinds.base import Kind, ParsedRow, text
from citysafe.registry.models import Area, Enterprise
from citysafe.registry.services.fields import apply_fields, require_fields


def _key(field) -> str:
    return f"{field.name}_id" if isinstance(field, models.ForeignKey) else field.name


def _types(field):
    """(API input type, API output type) of one model field."""
    if isinstance(field, models.ForeignKey):
        return Id, int
    if field.choices:
        return choice_in(field.choices), choice_out(field.choices)
    if isinstance(field, models.TextField):
        return MultilineText, str
    if isinstance(field, models.CharField):
        return Text, str
    if isinstance(field, models.BooleanField):
        return bool, bool
    if isinstance(field, models.IntegerField):
        return Count, int
    if isinstance(field, models.FloatField):
        return Coordinate, float  # strict, finite; ranges are the model validators' (422 in Chinese)
    if isinstance(field, models.DateField):
        return date, date
    raise TypeError(f"no API type for {field!r}")


def _form_field(field, user_refs):
    label, required = field.verbose_name, not (field.blank or field.null)
    if isinstance(field, models.ForeignKey):
        target = field.related_model
        queryset = target.objects.all()
        where = field.model.references[field.name].where
        if where:
            queryset = queryset.filter(**where)
        return forms.ModelChoiceField(label=label, queryset=queryset, required=required)
    if field.choices:
        choices = list(field.choices) if required else [("", "---------"), *field.choices]
        return forms.ChoiceField(label=label, choices=choices, required=required)
    if isinstance(field, models.TextField):
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    if isinstance(field, models.CharField):
        return forms.CharField(label=label, max_length=field.max_length, required=required)
    if isinstance(field, models.BooleanField):
        return forms.BooleanField(label=label, required=False)
    if isinstance(field, models.IntegerField):
        return forms.IntegerField(label=label, required=False)
    if isinstance(field, models.FloatField):
        return forms.FloatField(label=label, required=required and field.default is models.NOT_PROVIDED)
    if isinstance(field, models.DateField):
        return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    raise TypeError(f"no form field for {field!r}")


class Spec:
    """What a kind adds to its model: editable fields, required ones, lists and a rule."""

    def __init__(self, model, *, key, singular, title, fields, required, columns, filters=("township_id",),
                 search=("name", "code"),
                 check=None, defaults=None, detail_extras=None, detail_templates=(), readonly=()):
        self.model, self.key, self.singular, self.title = model, key, singular, title
        self.fields = [model._meta.get_field(name) for name in fields]
        self.keys = {_key(f) for f in self.fields}
        self.required = [_key(model._meta.get_field(name)) for name in required]
        self.columns, self.filters, self.search = columns, filters, search
        self.check, self.defaults = check, defaults
        self.detail_extras, self.detail_templates = detail_extras, detail_templates
        self.readonly = [model._meta.get_field(name) for name in readonly]
        self.has_location = "lon" in {f.name for f in self.fields}


def _schemas(spec):
    out = {"id": (int, ...), "version": (int, ...)}
    update = {"version": (Version, ...)}
    for field in spec.fields:
        typ_in, typ_out = _types(field)
        name = _key(field)
        nullable = field.null or isinstance(field, models.ForeignKey) and field.null
        out[name] = (Optional[typ_out] if nullable else typ_out, None if nullable else ...)
        if isinstance(field, models.ForeignKey):
            out[f"{field.name}_name"] = (str, "")
        update[name] = (Optional[typ_in], None)
    for field in spec.readonly:
        out[field.name] = (_types(field)[1], ...)
    item = create_model(f"{spec.singular}Out", __base__=Schema, **out)
    raw_update = create_model(f"_{spec.singular}Update", __base__=Schema, **update)
    update_in = patch_schema(raw_update, spec.model)
    create_fields = {"version": (NotOnCreate, None)}
    for name in spec.required:
        create_fields[name] = (raw_update.model_fields[name].annotation.__args__[0], ...)
    create_in = create_model(f"{spec.singular}Create", __base__=update_in, **create_fields)
    return item, create_in, update_in


def _services(spec):
    model, allowed = spec.model, spec.keys

    def _rules(instance, data, errors, actor):
        if spec.has_location and ("lon" in data or "lat" in data) and (
                instance.lon is not None or instance.lat is not None):
            errors.run(check_location, instance.lon, instance.lat)
        if spec.check:
            spec.check(instance, data, errors, actor)

    @transaction.atomic
    def create(actor, data: dict):
        instance, errors = open_for_create(actor, model, data), ErrorCollector()
        require_fields(data, spec.required, errors)
        apply_fields(instance, data, allowed, errors, actor=actor)
        if spec.defaults:
            spec.defaults(instance)
        _rules(instance, data, errors, actor)
        errors.raise_if_any()
        return save_record(actor, instance, action="create", before=None)

    @transaction.atomic
    def update(actor, pk, data: dict, *, expected_version: int | None = None):
        instance = open_for_change(actor, model, pk, data, expected_version=expected_version)
        before, errors = snapshot(instance), ErrorCollector()
        apply_fields(instance, data, allowed, errors, actor=actor)
        _rules(instance, data, errors, actor)
        errors.raise_if_any()
        return save_record(actor, instance, action="update", before=before)

    create.__name__, update.__name__ = f"create_{spec.key}", f"update_{spec.key}"
    return create, update


def _form(spec):
    attrs = {"model": spec.model}
    for field in spec.fields:
        attrs[_key(field)] = _form_field(field, None)
    if spec.has_location:
        attrs["map_picker"] = MapPicker(lon="lon", lat="lat", draw=("point",))
    return type(f"{spec.singular}Form", (RecordForm,), attrs)


class GeneratedWorkbook(Kind):
    """Workbook columns from the model: areas by code, emergency records by their 编号."""

    def __init__(self, spec):
        self.spec = spec
        self.name = self.resource = spec.key
        self.label, self.model = str(spec.model._meta.verbose_name), spec.model
        self.key_headers = (str(spec.model._meta.get_field("code").verbose_name),)
        self.columns, self.export_fields = [], []
        for field in spec.fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Enterprise:
                continue  # enterprises are set on pages or through the API (USCC lookups are the registry's)
            header = str(field.verbose_name)
            if isinstance(field, models.ForeignKey):
                header += _("代码") if field.related_model is Area else _("编号")
            rule = _("必填") if _key(field) in spec.required else ""
            self.columns.append(Cell(header, _key(field), rule, required=_key(field) in spec.required,
                                     text=isinstance(field, models.ForeignKey) or field.name == "code",
                                     choices=tuple(str(label) for _v, label in field.choices or ())))
            self.export_fields.append(_key(field))
        self.export_fields = tuple(self.export_fields)

    def parse(self, cells, book, gcj02):
        row = ParsedRow()
        for field in self.spec.fields:
            key = _key(field)
            if key not in {c.key for c in self.columns} or self.header(key) not in cells:
                continue
            value = cells.get(self.header(key))
            if isinstance(field, models.ForeignKey):
                target = field.related_model
                if target is Area:
                    level = field.model.references[field.name].where.get("level")
                    self._code(row, cells, key, lambda c, lv=level: book.area_id(c, lv), key, self.header(key))
                else:
                    self._code(row, cells, key, lambda c, t=target: t.objects.filter(code=c).values_list(
                        "pk", flat=True).first(), key, self.header(key))
            elif field.choices:
                self._choice(row, cells, key, field, book)
            elif isinstance(field, (models.IntegerField, models.FloatField)):
                self._number(row, cells, key, integer=isinstance(field, models.IntegerField))
            elif isinstance(field, models.BooleanField):
                row.data[key] = text(value) in ("是", "1", "true", "True")
            elif isinstance(field, models.DateField):
                self._date(row, key, value)
            else:
                self._text(row, cells, key)
        row.key = row.data.get("code") or None
        return row

    def _choice(self, row, cells, key, field, book):
        value, mapping = text(cells.get(self.header(key))), {str(label): v for v, label in field.choices}
        if not value:
            return
        if value in mapping or value in mapping.values():
            row.data[key] = mapping.get(value, value)
        else:
            row.fail(self.header(key), _("取值无效，可选：%(choices)s") % {"choices": "、".join(mapping)})

    def _date(self, row, key, value):
        if value in (None, ""):
            return
        if isinstance(value, datetime):
            row.data[key] = value.date()
            return
        try:
            row.data[key] = date.fromisoformat(text(value))
        except ValueError:
            row.fail(self.header(key), _("日期格式应为YYYY-MM-DD"))

    def existing(self, key, book):
        return self.model.objects.filter(code=key).values_list("pk", flat=True).first()

    def remember(self, key, instance, book):
        pass

    @staticmethod
    def _code_of(book, model) -> dict:
        """pk → 编号 of a referenced emergency kind, read once per export (kept on the CodeBook,
        which lives as long as one export)."""
        codes = book.__dict__.setdefault("emergency_codes", {})
        if model not in codes:
            codes[model] = dict(model.objects.values_list("pk", "code"))
        return codes[model]

    def export_row(self, record, book):
        values = []
        for field in self.spec.fields:
            key = _key(field)
            if key not in self.export_fields:
                continue
            value = record.get(key)
            if isinstance(field, models.ForeignKey) and value is not None:
                value = book.area_code.get(value, "") if field.related_model is Area else \
                    self._code_of(book, field.related_model).get(value, "")
            elif field.choices:
                value = str(dict(field.choices).get(value, value or ""))
            elif isinstance(field, models.BooleanField):
                value = _("是") if value else _("否")
            values.append(value)
        return values


def townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level="township")).order_by("code")]


def build(spec) -> RecordKind:
    item, create_in, update_in = _schemas(spec)
    create, update = _services(spec)
    page_filters = []
    for name in spec.filters:
        field = spec.model._meta.get_field(name.removesuffix("_id"))
        if name == "township_id":
            page_filters.append(Filter(name, _("乡镇"), townships))
        elif field.choices:
            page_filters.append(Filter(name, field.verbose_name, fixed(field.choices)))
    related = tuple(f.name for f in spec.fields if isinstance(f, models.ForeignKey))
    workbook = GeneratedWorkbook(spec) if "code" in {f.name for f in spec.fields} else None
    kind = RecordKind(
        key=spec.key, singular=spec.singular, model=spec.model, title=spec.title, namespace="emergency",
        export_url="io:export" if workbook else "", search=spec.search, filters=tuple(spec.filters),
        ordering=("id", "code", "name") if hasattr(spec.model, "name") else ("id", "code"),
        related=related, item=item, create_in=create_in, update_in=update_in, create=create, update=update,
        form=_form(spec), columns=spec.columns, page_filters=page_filters, io=workbook,
        detail_extras=spec.detail_extras, detail_templates=spec.detail_templates,
        geometry=_point if spec.has_location else (lambda obj: None))
    return kind


def _point(obj):
    if obj.lon is None or obj.lat is None:
        return None
    return {"type": "Point", "coordinates": [obj.lon, obj.lat]}


def col(label, attr, key=""):
    """A list column showing `attr` (a choice field shows its label)."""
    def value(obj):
        display = getattr(obj, f"get_{attr}_display", None)
        return display() if display else getattr(obj, attr)
    return Column(label, value, key)
