"""The risks app's own pages beside the generic record pages: the review queue and the
reassessment due list. Thin: one selector each."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from citysafe.core import scope
from citysafe.risks.models import Assessment, RiskPoint
from citysafe.risks.selectors.due import due_points


@login_required
def index(request):
    """The app's landing page: what there is, and what waits for the user."""
    user = request.user
    return render(request, "risks/index.html", {
        "pending_reviews": scope.narrow(user, Assessment.objects.filter(status=Assessment.Status.SUBMITTED)).count(),
        "due_count": due_points(user).count(),
        "levels": scope.narrow(user, RiskPoint.objects.filter(level__gt=0)).values("level").annotate(
            n=Count("id")).order_by("level"),
    })


@login_required
def review_queue(request):
    """Submitted assessments the user may see (a department: its industries'; admin: all)."""
    queryset = scope.narrow(request.user, Assessment.objects.filter(status=Assessment.Status.SUBMITTED)).select_related(
        "risk_point", "assessor").order_by("entered_at", "id")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "risks/review_queue.html", {"page": page})


@login_required
def due_list(request):
    queryset = due_points(request.user).select_related("township", "owner_enterprise")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "risks/due.html", {"page": page, "today": timezone.localdate()})
