"""Registry pages: thin edges over registry.selectors (reads) and registry.services
(writes). Outside the user's scope a record does not exist (404); an action the role may
not take is 403 (PermissionDenied, rendered by templates/403.html)."""
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
from citysafe.registry import selectors, services
from citysafe.registry.views.conflicts import conflict_rows, keep_typed_values_with_new_version
from citysafe.registry.views.details import describe
from citysafe.registry.views.enterprise_workflow import workflow_context
from citysafe.registry.views.resources import RESOURCES, Resource

PAGE_SIZE = 25


def _shown(user, value):
    """A column naming a related record shows it only where the viewer may see that record."""
    if isinstance(value, Model) and not scope.may_read_related(user, value):
        return ""
    return value


def _resource(key: str) -> Resource:
    if key not in RESOURCES:
        raise Http404
    return RESOURCES[key]


def _get(user, resource: Resource, pk, include_archived: bool = False):
    try:
        return selectors.get_record(user, resource.key, pk, include_archived=include_archived)
    except ObjectDoesNotExist:
        raise Http404 from None


def _include_archived(request) -> bool:
    return scope.sees_archived(request.user) and request.GET.get("archived") == "1"


def _filter_values(request, resource: Resource) -> tuple[dict, list[dict]]:
    """Read filters from the query string, keeping only offered values (others are ignored)."""
    values, widgets = {}, []
    for flt in resource.filters:
        choices = [(str(v), label) for v, label in flt.choices(request.user)]
        chosen = request.GET.get(flt.name, "")
        if chosen and chosen not in dict(choices):
            chosen = ""
        if chosen:
            values[flt.name] = chosen
        widgets.append({"name": flt.name, "label": flt.label, "choices": choices, "chosen": chosen})
    return values, widgets


@login_required
def record_list(request, resource):
    res = _resource(resource)
    filters, widgets = _filter_values(request, res)
    search = request.GET.get("q", "").strip()
    include_archived = _include_archived(request)
    queryset = selectors.list_records(request.user, res.key, search=search, filters=filters,
                                      include_archived=include_archived)
    if res.prefetch:
        queryset = queryset.prefetch_related(*res.prefetch)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "res": res, "page": page, "query": query.urlencode(), "search": search, "filters": widgets,
        "include_archived": include_archived, "is_admin": scope.sees_archived(request.user),
        "rows": [(obj, [(c, _shown(request.user, c.value(obj))) for c in res.columns]) for obj in page],
        "may_create": scope.may(request.user, res.model, scope.Action.CREATE),
    }
    template = "registry/_table.html" if request.htmx else "registry/list.html"
    return render(request, template, context)


@login_required
def record_detail(request, resource, pk):
    res = _resource(resource)
    user = request.user
    obj = _get(user, res, pk, include_archived=scope.sees_archived(user))
    context = {
        "res": res, "obj": obj, "fields": describe(obj, user),
        "geometry": res.geometry(obj),
        "may_change": scope.may(user, res.model, scope.Action.CHANGE) and not obj.is_archived,
        "may_archive": scope.may(user, res.model, scope.Action.ARCHIVE) and not obj.is_archived,
        "may_purge": scope.may(user, res.model, scope.Action.PURGE),
    }
    if res.key == "enterprises":
        context.update(workflow_context(user, obj))
    return render(request, "registry/detail.html", context)


def _apply_errors(form, exc: ValidationError) -> None:
    """Put each service error on the field it names; unknown names become form-level errors
    that still say which field they are about."""
    for name, errors in exc.message_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif name == "__all__":
            form.add_error(None, errors)
        else:
            form.add_error(None, [f"{name}：{e}" for e in errors])


@login_required
def record_create(request, resource):
    res = _resource(resource)
    scope.require(request.user, res.model, scope.Action.CREATE)
    form = res.form(request.POST or None, user=request.user,
                    allowed=scope.changeable_fields(request.user, res.model, creating=True))
    if request.method == "POST" and form.is_valid():
        try:
            obj = res.create(request.user, form.to_service_data(creating=True))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("registry:detail", res.key, obj.pk)
    return render(request, "registry/form.html", {"res": res, "form": form, "obj": None})


@login_required
def record_edit(request, resource, pk):
    res = _resource(resource)
    user = request.user
    scope.require(user, res.model, scope.Action.CHANGE)
    obj = _get(user, res, pk)
    form = res.form(request.POST or None, user=user, allowed=scope.changeable_fields(user, res.model),
                    initial=res.form.initial_from(obj), editing=True)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            res.update(user, obj.pk, form.to_service_data(), expected_version=form.cleaned_data["version"])
        except ObjectDoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StaleRecord as exc:
            # Nothing was written; the form keeps what the user typed and says what changed.
            conflict = {"rows": conflict_rows(user, form, exc), "version": exc.current_version}
            keep_typed_values_with_new_version(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("registry:detail", res.key, obj.pk)
    status = 409 if conflict else 200
    return render(request, "registry/form.html", {"res": res, "form": form, "obj": obj, "conflict": conflict},
                  status=status)


def _confirm_or_run(request, res, pk, action: str, run, title: str, warning: str, done_url: str):
    user = request.user
    scope.require(user, res.model, action)
    obj = _get(user, res, pk, include_archived=action == scope.Action.PURGE)
    if request.method != "POST":
        return render(request, "registry/confirm.html", {"res": res, "obj": obj, "title": title, "warning": warning})
    try:
        run(user, res.model, obj.pk, note=request.POST.get("note", ""))
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, "；".join(m for msgs in exc.message_dict.values() for m in msgs))
        return redirect("registry:detail", res.key, obj.pk)
    messages.success(request, _("操作已完成"))
    return redirect(done_url)


@login_required
def record_archive(request, resource, pk):
    res = _resource(resource)
    return _confirm_or_run(request, res, pk, scope.Action.ARCHIVE, services.archive_record, _("归档"),
                           _("归档后记录不再出现在列表中，管理员可查看和恢复。"),
                           reverse("registry:list", args=[res.key]))


@login_required
def record_purge(request, resource, pk):
    res = _resource(resource)
    return _confirm_or_run(request, res, pk, scope.Action.PURGE, services.purge_record, _("彻底删除"),
                           _("彻底删除不可恢复，审计记录中保留最后状态。"),
                           reverse("registry:list", args=[res.key]))


@login_required
@require_POST
def record_restore(request, resource, pk):
    res = _resource(resource)
    scope.require(request.user, res.model, scope.Action.PURGE)
    _get(request.user, res, pk, include_archived=True)
    services.restore_record(request.user, res.model, pk)
    messages.success(request, _("已恢复"))
    return redirect("registry:detail", res.key, pk)
