"""Downloads: the accident statistics and the target progress as Excel and PDF (services/exports)."""
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone

from citysafe.assessment.services import exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
def statistics_xlsx(request):
    return _download(*exports.statistics_workbook(request.user, _year(request)), XLSX)


@login_required
def statistics_pdf(request):
    return _download(*exports.statistics_pdf(request.user, _year(request)), "application/pdf")


@login_required
def targets_xlsx(request):
    return _download(*exports.targets_workbook(request.user), XLSX)


@login_required
def targets_pdf(request):
    return _download(*exports.targets_pdf(request.user), "application/pdf")
