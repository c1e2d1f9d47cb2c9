"""Pages of the credit app beyond the kinds' generated ones: the entry's workflow buttons, the
public list (no sign-in), high-risk enterprises without insurance, and the agency ranking."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core.workflow.views import take_step
from citysafe.credit import selectors
from citysafe.credit.models import ListEntry
from citysafe.credit.services import agencies, entries, insurance
from citysafe.credit.workflows import LIST_ENTRY


def entry_detail_extras(request, obj) -> dict:
    steps = [t for t in LIST_ENTRY.available(request.user, obj) if not t.system]
    return {"entry_steps": steps, "entry_events": selectors.events_of(obj)}


@login_required
@require_POST
def entry_step(request, pk):
    return take_step(request, pk, model=ListEntry, service=entries.transition_entry,
                     detail=("credit:detail", "credit-entries"), success=_("名单流程已更新"), name_fields=False,
                     reason=request.POST.get("reason", ""))


def public_list(request):
    """The published list, for everyone (no sign-in): enterprise, criterion, dates; the
    responsible person's name masked (core.masking)."""
    page = Paginator(selectors.published_entries(), 20).get_page(request.GET.get("page"))
    return render(request, "credit/public_list.html", {"page": page, "rows": selectors.public_rows(page.object_list)})


@login_required
def uninsured(request):
    rows = insurance.uninsured_high_risk(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "credit/uninsured.html", {"page": page, "total": page.paginator.count})


@login_required
def agency_ranking(request):
    return render(request, "credit/agencies.html", {"rows": agencies.ranking(request.user)})
