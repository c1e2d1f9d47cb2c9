"""The page side of a workflow step, shared by the apps' detail pages (hazards, enforcement,
construction, risks): the record must be in the user's scope (else 404), the posted version and
payload are parsed, one service is called, and its outcome becomes a flash message before the
redirect back to the detail page. Thin on purpose: the service decides everything else.

Why not a class-based view: the apps' step views differ only in arguments (model, service,
payload fields, where to go back), so one function with keywords reads shorter than a class
hierarchy, and each app keeps its own URL and `@login_required @require_POST` view."""
from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.concurrency import StaleRecord
from citysafe.core.workflow.engine import TransitionError


def error_text(exc: ValidationError, *, name_fields: bool = True) -> str:
    """A ValidationError as one message line, "field：message；…" (or the messages alone when
    `name_fields` is false, for pages whose form already labels the field)."""
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    if not name_fields:
        return "；".join(message for items in exc.message_dict.values() for message in items)
    return "；".join(f"{field}：{message}" if field != "__all__" else message
                    for field, items in exc.message_dict.items() for message in items)


def posted_version(request, missing: int | None = None) -> int | None:
    """The record version the form was rendered with (optimistic locking); `missing` when it is
    absent or not a number: None, and the service then reports the missing version, or 0 for a
    service that skips the check on None (0 is never a stored version: a stale-record error)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return missing


def posted_payload(request, fields: Iterable[str]) -> dict | None:
    """The non-empty posted values of a step's payload fields, or None when there are none."""
    payload = {key: request.POST.get(key) for key in fields if request.POST.get(key, "")}
    return payload or None


def visible_or_404(user, model, pk):
    """The record when it is in the user's data scope; outside it, it does not exist (404)."""
    try:
        return scope.get_in_scope(user, model.objects.all(), pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def run_action(request, call: Callable[[], object], success: str | Callable[[], str], *,
               name_fields: bool = True, describe: Callable[[ValidationError], str] | None = None) -> bool:
    """Call the service; an illegal step, a stale version or a refusal becomes an error message,
    bad input its fields' messages (`describe(exc)` when the page labels fields its own way);
    otherwise the success message. True when it succeeded."""
    try:
        call()
    except (TransitionError, StaleRecord, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("您没有执行此操作的权限"))
    except ValidationError as exc:
        messages.error(request, describe(exc) if describe else error_text(exc, name_fields=name_fields))
    else:
        messages.success(request, success() if callable(success) else success)
        return True
    return False


def take_step(request, pk, *, model, service, detail: tuple[str, str], success: str | Callable[[str], str],
              name_fields: bool = True, **arguments):
    """One workflow step posted from a detail page: `service(user, pk, transition,
    expected_version=…, note=…, **arguments)`, then back to `detail` = (url name, kind slug).
    `success` is the message, or a function of the transition's name that makes it."""
    visible_or_404(request.user, model, pk)
    name = request.POST.get("transition", "")
    run_action(request, lambda: service(request.user, pk, name, expected_version=posted_version(request),
                                        note=request.POST.get("note", ""), **arguments),
               (lambda: success(name)) if callable(success) else success, name_fields=name_fields)
    return redirect(detail[0], detail[1], pk)
