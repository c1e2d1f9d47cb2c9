"""The case's actions on its detail page, its documents and the public page. Thin: parse, call
the service, redirect with a message."""
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core import scope
from citysafe.core.concurrency import StaleRecord
from citysafe.core.workflow import TransitionError
from citysafe.enforcement import selectors
from citysafe.enforcement.models import Case, InspectionRecord
from citysafe.enforcement.services import documents, records

PAYLOAD_FIELDS = {"notify": ("penalty", "fine_amount", "penalty_basis"),
                  "decide": ("penalty", "fine_amount", "penalty_basis", "decision_text"),
                  "request_hearing": ("hearing_on",), "demand": ("deadline",),
                  "enforce": ("measure", "power_cut_notice_at")}


def error_text(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    return "；".join(f"{field}：{message}" if field != "__all__" else message
                    for field, items in exc.message_dict.items() for message in items)


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _visible(request, model, pk):
    try:
        return scope.get_in_scope(request.user, model.objects.all(), pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _run(request, call, success: str) -> bool:
    try:
        call()
    except (TransitionError, StaleRecord, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("您没有执行此操作的权限"))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
        return True
    return False


@login_required
@require_POST
def case_transition(request, pk):
    _visible(request, Case, pk)
    name = request.POST.get("transition", "")
    payload = {key: request.POST.get(key) for key in PAYLOAD_FIELDS.get(name, ()) if request.POST.get(key, "")}
    _run(request, lambda: records.transition_case(request.user, pk, name, expected_version=_version(request),
                                                  note=request.POST.get("note", ""), payload=payload or None),
         _("案件状态已更新"))
    return redirect("enforcement:detail", "cases", pk)


@login_required
@require_POST
def case_evidence(request, pk):
    _visible(request, Case, pk)
    _run(request, lambda: records.add_evidence(request.user, pk, kind=request.POST.get("kind", ""),
                                               title=request.POST.get("title", ""),
                                               uploaded_file=request.FILES.get("file")), _("证据已登记"))
    return redirect("enforcement:detail", "cases", pk)


@login_required
@require_POST
def case_publish(request, pk):
    _visible(request, Case, pk)
    _run(request, lambda: records.publish_decision(request.user, pk, expected_version=_version(request)),
         _("处罚决定已公示"))
    return redirect("enforcement:detail", "cases", pk)


@login_required
@require_POST
def case_from_inspection(request, pk):
    _visible(request, InspectionRecord, pk)
    created = []

    def call():
        created.append(records.open_case_from_inspection(
            request.user, pk, cause=request.POST.get("cause", ""), violated_basis=request.POST.get("violated_basis", "")))

    if _run(request, call, _("已提出立案申请")):
        return redirect("enforcement:detail", "cases", created[0].pk)
    return redirect("enforcement:detail", "inspection-records", pk)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def case_document(request, pk, kind):
    if kind not in documents.DOCUMENTS:
        raise Http404
    _visible(request, Case, pk)
    try:
        return _pdf(*documents.document_pdf(request.user, pk, kind))
    except TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("enforcement:detail", "cases", pk)


@login_required
def case_file(request, pk):
    _visible(request, Case, pk)
    return _pdf(*documents.case_file_pdf(request.user, pk))


def public_decisions(request):
    """公示: published decisions, open to everyone; names of persons masked (selectors)."""
    page = Paginator(selectors.published_decisions(q=request.GET.get("q", "")), 20).get_page(request.GET.get("page"))
    return render(request, "enforcement/public_decisions.html", {"page": page, "q": request.GET.get("q", "")})
