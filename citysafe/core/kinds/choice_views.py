"""Endpoints behind the record pages' choices, for every kind by declaration:

- `field_options`: a form field's <option>s given its parents' values (`RecordForm.FOLLOWS`),
  fetched by htmx when a parent changes (grid follows village follows township);
- `filter_options`: the same for a list filter that `follows` others (`Filter.follows`);
- `lookup`: a picker's typed-ahead search (`RecordForm.PICKERS`): at most LOOKUP_LIMIT
  records the user may point the field at, by name or code, as JSON.

All of them read through the form or the filter, so they offer exactly what the page offers:
core.scope.choice_targets / reference_targets decide, nothing here widens it. The services
still judge what is saved."""
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citysafe.core import scope
from citysafe.core.kinds import registry
from citysafe.core.kinds.views import filter_values, kind_or_404

LOOKUP_LIMIT = 20


def _form(request, kind):
    """The kind's form as this user would get it; 403 for a role that may neither create nor
    change such records (it has no form to fill)."""
    user = request.user
    if not (scope.may(user, kind.model, scope.Action.CREATE) or scope.may(user, kind.model, scope.Action.CHANGE)):
        scope.require(user, kind.model, scope.Action.CHANGE)
    return kind.form(user=user)


@login_required
@require_GET
def field_options(request, resource, field, namespace):
    kind = kind_or_404(resource, namespace)
    form = _form(request, kind)
    if field not in form.FOLLOWS or field not in form.choosable:
        raise Http404
    options = [(str(o.pk), str(o)) for o in form.options_for(field, request.GET)]
    chosen = request.GET.get(field, "")
    return render(request, "records/_options.html", {
        "options": options, "chosen": chosen if chosen in dict(options) else "",
        "empty_label": form.fields[field].empty_label or ""})


@login_required
@require_GET
def filter_options(request, resource, field, namespace):
    kind = kind_or_404(resource, namespace)
    _values, widgets = filter_values(request, kind)
    widget = next((w for w in widgets if w["name"] == field), None)
    if widget is None:
        raise Http404
    return render(request, "records/_options.html", {
        "options": widget["choices"], "chosen": widget["chosen"], "empty_label": _("全部")})


def _search_fields(model) -> tuple[str, ...]:
    """How records of `model` are found by name or code: its kind's declared `search`."""
    for kind in registry.all_kinds():
        if kind.model is model and kind.search:
            return kind.search
    return ("name",)


def _hint(obj) -> str:
    """A code beside the name, to tell two records of one name apart."""
    for attr in ("uscc", "code"):
        value = getattr(obj, attr, "")
        if value:
            return str(value)
    return ""


@login_required
@require_GET
def lookup(request, resource, field, namespace):
    kind = kind_or_404(resource, namespace)
    form = _form(request, kind)
    if field not in form.PICKERS or field not in form.choosable:
        raise Http404
    targets = form.choosable[field]
    text = request.GET.get("q", "").strip()[:50]
    if text:
        targets = targets.filter(Q(*[Q(**{f"{name}__icontains": text}) for name in _search_fields(targets.model)],
                                   _connector=Q.OR))
    found = list(targets.order_by("name", "pk")[:LOOKUP_LIMIT + 1])
    return JsonResponse({
        "results": [{"id": o.pk, "label": str(o), "hint": _hint(o)} for o in found[:LOOKUP_LIMIT]],
        "more": len(found) > LOOKUP_LIMIT,
    })
