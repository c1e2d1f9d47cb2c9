"""The counties side by side for the prefecture (or province) office, sortable, with an Excel
export (audited like the other exports). Who may open it is the permission table's answer
(the office that assesses counties: may create a county result), never a role name here."""
import io
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from citysafe.assessment.models import CountyResult
from citysafe.assessment.services import compare
from citysafe.core import scope
from citysafe.core.audit import record_change


def may_compare(user) -> bool:
    return scope.may(user, CountyResult, scope.Action.CREATE)


def _rows(request):
    if not may_compare(request.user):
        raise Http404
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    key = request.GET.get("sort") or "name"
    descending = request.GET.get("dir") == "desc"
    rows, year = compare.comparison(request.user, year)
    return compare.sort_rows(rows, key, descending), year, key, descending


@login_required
def compare_page(request):
    rows, year, key, descending = _rows(request)
    columns = [(k, label, "asc" if key == k and descending else "desc") for k, label in compare.COLUMNS]
    return render(request, "assessment/compare.html", {
        "rows": [(r, [(label, r.figures[k]) for k, label in compare.COLUMNS]) for r in rows], "columns": columns,
        "year": year, "sort": key, "descending": descending,
        "name_dir": "desc" if key == "name" and not descending else "asc"})


@login_required
def compare_xlsx(request):
    rows, year, _key, _descending = _rows(request)
    book = Workbook()
    sheet = book.active
    sheet.title = _("县（市）对比")
    sheet.append([_("县（市）"), _("区划代码"), *[str(label) for _k, label in compare.COLUMNS]])
    for row in rows:
        sheet.append([row.name, row.code, *[row.figures[k] for k, _label in compare.COLUMNS]])
    buffer = io.BytesIO()
    book.save(buffer)
    # Aggregates only: no personal field is exported, so there is nothing for core.masking to mask.
    record_change(actor=request.user, action="export", object_type="assessment.CountyResult",
                  object_repr="county-comparison",
                  after={"resource": "county-comparison", "format": "xlsx", "rows": len(rows), "year": year})
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = _("县（市）对比_%(year)d.xlsx") % {"year": year}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
