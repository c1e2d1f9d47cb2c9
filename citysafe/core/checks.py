"""System checks that keep data scope failing closed (run by `manage.py check`, `migrate`,
`runserver` and the test runner).

- every concrete model of our apps (citysafe.*) declares its scope: `scope = ScopeFields(...)`,
  `PUBLIC` (a directory) or `COUNTY_WIDE`; core.scope shows an undeclared model to nobody,
  and this check says so at start-up instead of leaving an empty page to find out;
- a model's `references` name real foreign-key / many-to-many fields with a `Ref` each, and a
  model that declares references declares every reference a user could set (a rule, or
  `Ref.system()` for values the services derive), so a new field cannot slip through.
"""
from django.apps import apps
from django.core import checks

from citysafe.core.scope_fields import Ref, ScopeFields

# Set by the shared write path itself (core.records.archive_record), on every archivable model.
SYSTEM_FIELDS = {"archived_by"}


def _ours(model) -> bool:
    return model.__module__.startswith("citysafe.") and not model._meta.abstract and not model._meta.auto_created


def _reference_fields(model):
    for field in model._meta.get_fields():
        if field.auto_created or not (field.many_to_many or field.many_to_one or field.one_to_one):
            continue
        if getattr(field, "editable", True) and field.name not in SYSTEM_FIELDS:
            yield field


@checks.register(checks.Tags.models)
def check_scope_declared(app_configs=None, **kwargs):
    return scope_problems(model for model in apps.get_models() if _ours(model))


def scope_problems(model_classes) -> list[checks.Error]:
    errors = []
    for model in model_classes:
        label = model._meta.label
        if not isinstance(getattr(model, "scope", None), ScopeFields):
            errors.append(checks.Error(
                f"{label} declares no data scope",
                hint="Add `scope = ScopeFields(...)`, or `scope = PUBLIC` for a directory, or `scope = COUNTY_WIDE` "
                     "(citysafe.core.scope_fields); without one nobody sees its rows.",
                obj=model, id="citysafe.E001"))
        declared = getattr(model, "references", None)
        if declared is None:
            continue
        names = {field.name for field in _reference_fields(model)}
        for name, rule in declared.items():
            if name not in names:
                errors.append(checks.Error(f"{label}.references names {name!r}, which is not a reference field",
                                           obj=model, id="citysafe.E002"))
            elif not isinstance(rule, Ref):
                errors.append(checks.Error(f"{label}.references[{name!r}] is not a Ref", obj=model,
                                           id="citysafe.E003"))
        for name in sorted(names - set(declared)):
            errors.append(checks.Error(
                f"{label}.{name} is a reference without a rule",
                hint="Declare what users may point it at in `references` (Ref.visible(...), "
                     "Ref.own_organisation(), or Ref.system() when only the services set it).",
                obj=model, id="citysafe.E004"))
    return errors


__all__ = ["check_scope_declared"]
