"""The pages of every record kind: list, detail, create, edit, archive, purge, restore.

Thin edges over core.kinds.selectors (reads) and the kind's services (writes). Outside the
user's scope a record does not exist (404); an action the role may not take is 403
(PermissionDenied, rendered by templates/403.html). URLs come from core.kinds.urls, with
names in the kind's namespace (`registry:list` …); the kind is the `resource` URL segment.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core import scope
from citysafe.core.concurrency import StaleRecord
from citysafe.core.field_labels import labelled_messages
from citysafe.core.kinds import registry, selectors
from citysafe.core.kinds.conflicts import (
    conflict_rows,
    keep_typed_values_with_new_version,
)
from citysafe.core.kinds.details import describe
from citysafe.core.kinds.sorting import sort_headers

PAGE_SIZE = 25


def _shown(user, value):
    """A column naming a related record shows it only where the viewer may see that record."""
    if isinstance(value, Model) and not scope.may_read_related(user, value):
        return ""
    return value


def kind_or_404(key: str, namespace: str):
    try:
        kind = registry.get_kind(key)
    except KeyError:
        raise Http404 from None
    if kind.namespace != namespace or kind.form is None:
        raise Http404
    return kind


def get_or_404(user, kind, pk, include_archived: bool = False):
    try:
        return selectors.get_record(user, kind, pk, include_archived=include_archived)
    except ObjectDoesNotExist:
        raise Http404 from None


def _include_archived(request) -> bool:
    return scope.sees_archived(request.user) and request.GET.get("archived") == "1"


def filter_values(request, kind) -> tuple[dict, list[dict]]:
    """Read filters from the query string, keeping only offered values (others are ignored).
    A filter that follows others is offered what their chosen values allow (filters are
    declared parents first), so a grid of another township is dropped with the township."""
    values, widgets = {}, []
    for flt in kind.page_filters:
        within = {lookup: values[parent] for parent, lookup in flt.follows.items() if parent in values}
        choices = [(str(v), label) for v, label in flt.choices(request.user, **within)]
        chosen = request.GET.get(flt.name, "")
        if chosen and chosen not in dict(choices):
            chosen = ""
        if chosen:
            values[flt.name] = chosen
        follows = [p for p in flt.follows if any(f.name == p for f in kind.page_filters)]
        # A filter with nothing to offer before any narrowing (a grid worker sees no village) is left out.
        shown = bool(choices) or bool(within)
        widgets.append({"name": flt.name, "label": flt.label, "choices": choices, "chosen": chosen,
                        "follows": follows, "shown": shown,
                        "trigger": ", ".join(f"change from:#filter-{p}" for p in follows),
                        "include": ", ".join(f"#filter-{p}" for p in follows)})
    return values, widgets


def _ordering(request, kind) -> str:
    """The list's sort key from `?ordering=` (a declared `ordering` field, `-` for descending);
    anything else is ignored (the default order, by id)."""
    ordering = request.GET.get("ordering", "")
    return ordering if ordering.lstrip("-") in kind.ordering else ""


@login_required
def record_list(request, resource, namespace):
    kind = kind_or_404(resource, namespace)
    filters, widgets = filter_values(request, kind)
    search = request.GET.get("q", "").strip()
    include_archived = _include_archived(request)
    ordering = _ordering(request, kind)
    queryset = selectors.list_records(request.user, kind, search=search, filters=filters,
                                      include_archived=include_archived, ordering=ordering or "id")
    if kind.prefetch:
        queryset = queryset.prefetch_related(*kind.prefetch)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    if not ordering:
        query.pop("ordering", None)
    context = {
        "res": kind, "page": page, "query": query.urlencode(), "search": search, "filters": widgets,
        "include_archived": include_archived, "is_admin": scope.sees_archived(request.user),
        "rows": [(obj, [(c, _shown(request.user, c.value(obj))) for c in kind.columns]) for obj in page],
        "may_create": scope.may(request.user, kind.model, scope.Action.CREATE),
        "ordering": ordering, "headers": sort_headers(kind, query, ordering),
        "page_keep": [(k, v) for k, values in query.lists() for v in values],
    }
    template = "records/_table.html" if request.htmx else "records/list.html"
    return render(request, template, context)


@login_required
def record_detail(request, resource, pk, namespace):
    kind = kind_or_404(resource, namespace)
    user = request.user
    obj = get_or_404(user, kind, pk, include_archived=scope.sees_archived(user))
    context = {
        "res": kind, "obj": obj, "fields": describe(obj, user),
        "geometry": kind.geometry(obj),
        "may_change": scope.may(user, kind.model, scope.Action.CHANGE) and not obj.is_archived,
        "may_archive": scope.may(user, kind.model, scope.Action.ARCHIVE) and not obj.is_archived,
        "may_purge": scope.may(user, kind.model, scope.Action.PURGE),
        "extra_templates": kind.detail_templates,
    }
    if kind.detail_extras is not None:
        context.update(kind.detail_extras(request, obj))
    return render(request, "records/detail.html", context)


def _apply_errors(form, exc: ValidationError) -> None:
    """Put each service error on the field it names (or belongs under: "location" under the
    longitude); others become form-level errors that say which field, by its Chinese label."""
    for name, errors in exc.message_dict.items():
        target = form.error_field(name) if name != "__all__" else None
        if target is not None:
            form.add_error(target, errors)
        elif name == "__all__":
            form.add_error(None, errors)
        else:
            form.add_error(None, labelled_messages(form.model, {name: errors}))


def _saved(request, form) -> None:
    note = getattr(form, "coordinate_note", "")
    messages.success(request, _("已保存（%(note)s）") % {"note": note} if note else _("已保存"))


@login_required
def record_create(request, resource, namespace):
    kind = kind_or_404(resource, namespace)
    scope.require(request.user, kind.model, scope.Action.CREATE)
    form = kind.form(request.POST or None, user=request.user,
                     allowed=scope.changeable_fields(request.user, kind.model, creating=True))
    form.wire_choices(namespace, kind.key)
    if request.method == "POST" and form.is_valid():
        try:
            obj = kind.create(request.user, form.to_service_data(creating=True))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            _saved(request, form)
            return redirect(kind.urls["detail"], kind.key, obj.pk)
    return render(request, "records/form.html", {"res": kind, "form": form, "obj": None})


@login_required
def record_edit(request, resource, pk, namespace):
    kind = kind_or_404(resource, namespace)
    user = request.user
    scope.require(user, kind.model, scope.Action.CHANGE)
    obj = get_or_404(user, kind, pk)
    form = kind.form(request.POST or None, user=user, allowed=scope.changeable_fields(user, kind.model),
                     initial=kind.form.initial_from(obj), editing=True)
    form.wire_choices(namespace, kind.key)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(user, obj.pk, form.to_service_data(), expected_version=form.cleaned_data["version"])
        except ObjectDoesNotExist:
            raise Http404 from None
        except ValidationError as exc:  # OutOfScope included: on the field, what was typed kept
            _apply_errors(form, exc)
        except StaleRecord as exc:
            # Nothing was written; the form keeps what the user typed and says what changed.
            conflict = {"rows": conflict_rows(user, form, exc), "version": exc.current_version}
            keep_typed_values_with_new_version(form, exc)
        else:
            _saved(request, form)
            return redirect(kind.urls["detail"], kind.key, obj.pk)
    status = 409 if conflict else 200
    return render(request, "records/form.html", {"res": kind, "form": form, "obj": obj, "conflict": conflict},
                  status=status)


def _confirm_or_run(request, kind, pk, action: str, run, title: str, warning: str, done_url: str):
    user = request.user
    scope.require(user, kind.model, action)
    obj = get_or_404(user, kind, pk, include_archived=action == scope.Action.PURGE)
    if request.method != "POST":
        return render(request, "records/confirm.html", {"res": kind, "obj": obj, "title": title, "warning": warning})
    try:
        run(user, kind.model, obj.pk, note=request.POST.get("note", ""))
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, "；".join(labelled_messages(kind.model, exc.message_dict)))
        return redirect(kind.urls["detail"], kind.key, obj.pk)
    messages.success(request, _("操作已完成"))
    return redirect(done_url)


@login_required
def record_archive(request, resource, pk, namespace):
    kind = kind_or_404(resource, namespace)
    return _confirm_or_run(request, kind, pk, scope.Action.ARCHIVE, kind.archive, _("归档"),
                           _("归档后记录不再出现在列表中，管理员可查看和恢复。"),
                           reverse(kind.urls["list"], args=[kind.key]))


@login_required
def record_purge(request, resource, pk, namespace):
    kind = kind_or_404(resource, namespace)
    return _confirm_or_run(request, kind, pk, scope.Action.PURGE, kind.purge, _("彻底删除"),
                           _("彻底删除不可恢复，审计记录中保留最后状态。"),
                           reverse(kind.urls["list"], args=[kind.key]))


@login_required
@require_POST
def record_restore(request, resource, pk, namespace):
    kind = kind_or_404(resource, namespace)
    scope.require(request.user, kind.model, scope.Action.PURGE)
    get_or_404(request.user, kind, pk, include_archived=True)
    kind.restore(request.user, kind.model, pk)
    messages.success(request, _("已恢复"))
    return redirect(kind.urls["detail"], kind.key, pk)
