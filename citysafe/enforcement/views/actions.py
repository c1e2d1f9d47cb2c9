"""The case's actions on its detail page, its documents and the public page. Thin: parse, call
the service, redirect with a message."""
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core.workflow import TransitionError
from citysafe.core.workflow.views import posted_payload, posted_version, run_action, take_step, visible_or_404
from citysafe.enforcement import selectors
from citysafe.enforcement.models import Case, InspectionRecord
from citysafe.enforcement.services import documents, records

PAYLOAD_FIELDS = {"notify": ("penalty", "fine_amount", "penalty_basis"),
                  "decide": ("penalty", "fine_amount", "penalty_basis", "decision_text"),
                  "request_hearing": ("hearing_on",), "demand": ("deadline",),
                  "enforce": ("measure", "power_cut_notice_at")}


@login_required
@require_POST
def case_transition(request, pk):
    payload = posted_payload(request, PAYLOAD_FIELDS.get(request.POST.get("transition", ""), ()))
    return take_step(request, pk, model=Case, service=records.transition_case, detail=("enforcement:detail", "cases"),
                     success=_("案件状态已更新"), payload=payload)


@login_required
@require_POST
def case_evidence(request, pk):
    visible_or_404(request.user, Case, pk)
    run_action(request, lambda: records.add_evidence(request.user, pk, kind=request.POST.get("kind", ""),
                                                     title=request.POST.get("title", ""),
                                                     uploaded_file=request.FILES.get("file")), _("证据已登记"))
    return redirect("enforcement:detail", "cases", pk)


@login_required
@require_POST
def case_publish(request, pk):
    visible_or_404(request.user, Case, pk)
    run_action(request, lambda: records.publish_decision(request.user, pk, expected_version=posted_version(request)),
               _("处罚决定已公示"))
    return redirect("enforcement:detail", "cases", pk)


@login_required
@require_POST
def case_from_inspection(request, pk):
    visible_or_404(request.user, InspectionRecord, pk)
    created = []

    def call():
        created.append(records.open_case_from_inspection(
            request.user, pk, cause=request.POST.get("cause", ""), violated_basis=request.POST.get("violated_basis", "")))

    if run_action(request, call, _("已提出立案申请")):
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
    visible_or_404(request.user, Case, pk)
    try:
        return _pdf(*documents.document_pdf(request.user, pk, kind))
    except TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("enforcement:detail", "cases", pk)


@login_required
def case_file(request, pk):
    visible_or_404(request.user, Case, pk)
    return _pdf(*documents.case_file_pdf(request.user, pk))


def public_decisions(request):
    """公示: published decisions, open to everyone; names of persons masked (selectors)."""
    page = Paginator(selectors.published_decisions(q=request.GET.get("q", "")), 20).get_page(request.GET.get("page"))
    return render(request, "enforcement/public_decisions.html", {"page": page, "q": request.GET.get("q", "")})
