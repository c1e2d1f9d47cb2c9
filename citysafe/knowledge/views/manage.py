"""The administrators' import page: upload one file, see the report (nothing is half-imported)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from citysafe.knowledge import selectors
from citysafe.knowledge.forms import ImportForm
from citysafe.knowledge.reading import max_bytes
from citysafe.knowledge.services.documents import import_document


@login_required
def import_page(request):
    if not selectors.sees_unpublished(request.user):
        raise PermissionDenied
    form, report = ImportForm(request.POST or None, request.FILES or None), None
    if request.method == "POST" and form.is_valid():
        upload, data = form.cleaned_data["file"], form.cleaned_data
        content = upload.read(max_bytes() + 1)
        report = import_document(request.user, upload.name, content, kind=data["kind"], issuer=data["issuer"],
                                 short_title=data["short_title"])
    return render(request, "knowledge/import.html", {"form": form, "report": report},
                  status=422 if report is not None and not report.ok else 200)
