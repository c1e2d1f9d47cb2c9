"""Pages for data in and out: templates, upload, job progress (htmx polling), downloads and
exports. Thin: they parse, call jobs/export/templates, and answer."""
import os
import tempfile
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citysafe.core import scope
from citysafe.core.kinds import get_kind as record_kind
from citysafe.registry.io import export, jobs
from citysafe.registry.io.kinds import exportable, get_kind, importable
from citysafe.registry.io.models import DataJob
from citysafe.registry.io.templates import build_template
from citysafe.registry.io.workbook import import_max_bytes
from citysafe.registry.selectors import BadQuery

# Exports up to this many rows stream straight back; larger ones become a background job.
DIRECT_EXPORT_LIMIT = 20000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


def _importable_for(user) -> list:
    kinds = [get_kind(name) for name in (*importable(), "areas")]
    return [k for k in kinds if scope.may(user, k.model, scope.Action.CREATE)
            or scope.may(user, k.model, scope.Action.CHANGE)]


def _render_index(request, upload_error: str = "", status: int = 200):
    return render(request, "registry/io/index.html", {
        "importable": _importable_for(request.user),
        "exportable": exportable(),
        "jobs": DataJob.objects.filter(user=request.user)[:20],
        "max_mb": import_max_bytes() // (1024 * 1024),
        "upload_error": upload_error,
    }, status=status)


@login_required
@require_GET
def index(request):
    return _render_index(request)


@login_required
@require_GET
def download_template(request, kind):
    if kind not in importable():
        raise Http404
    label = get_kind(kind).label
    response = HttpResponse(build_template(kind, request.user), content_type=XLSX)
    response["Content-Disposition"] = _attachment(f"{label}导入模板.xlsx")
    return response


@login_required
@require_POST
def start_import(request):
    resource = request.POST.get("resource", "")
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = _("请选择要上传的文件")
    elif upload.size > import_max_bytes():
        error = _("文件过大：上限为 %(mb)d MB") % {"mb": import_max_bytes() // (1024 * 1024)}
    else:
        try:
            job = jobs.submit_import(request.user, resource, upload, gcj02=request.POST.get("gcj02") == "1")
        except ValueError as problem:  # FileProblem included: wrong type, size or content
            error = str(problem)
        else:
            return redirect("io:job", pk=job.pk)
    return _render_index(request, upload_error=error, status=422)


def _own_job(request, pk) -> DataJob:
    # A job (and its files, which hold registry data) is visible to the person who ran it only.
    return get_object_or_404(DataJob, pk=pk, user=request.user)


@login_required
@require_GET
def job_detail(request, pk):
    return render(request, "registry/io/job.html", {"job": _own_job(request, pk)})


@login_required
@require_GET
def job_progress(request, pk):
    return render(request, "registry/io/_progress.html", {"job": _own_job(request, pk)})


@login_required
@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if not job.result:
        raise Http404
    if job.direction == DataJob.Direction.IMPORT:
        name = f"错误报告-{os.path.splitext(job.source_name)[0]}.xlsx"
    else:
        name = f"{get_kind(job.resource).label}台账.{job.file_format}"
    response = FileResponse(job.result.open("rb"), content_type=XLSX if name.endswith(".xlsx") else "application/geo+json")
    response["Content-Disposition"] = _attachment(name)
    return response


def _query(request, resource: str) -> dict:
    """What the list on screen shows: its search, filters and order (`?ordering=`, as the list
    page's sort links write it), so an export has exactly the rows, in the order, on screen.
    An order the list does not offer is ignored, as the list page ignores it (by id)."""
    kind = record_kind(resource)
    ordering = request.GET.get("ordering", "").strip()
    return {"search": request.GET.get("q", "").strip(),
            "filters": {k: v for k, v in request.GET.items() if (k in kind.filters or k in kind.presets) and v},
            "ordering": ordering if ordering.lstrip("-") in kind.ordering else "id"}


@login_required
@require_GET
def export_list(request, resource):
    if resource not in {k.name for k in exportable()}:
        raise Http404
    file_format = request.GET.get("format", "xlsx")
    if file_format not in jobs.EXPORT_FORMATS:
        return HttpResponse(_("不支持的导出格式"), status=422)
    query = _query(request, resource)
    geometry_type = request.GET.get("geometry_type", "") if file_format == "geojson" else ""
    try:
        if geometry_type:
            rows = export.count_geojson_rows(request.user, resource, geometry_type=geometry_type, **query)
        else:
            rows = export.count_rows(request.user, resource, **query)
    except (BadQuery, ValueError) as exc:
        return HttpResponse(str(exc), status=422)
    label = get_kind(resource).label
    if rows > DIRECT_EXPORT_LIMIT or request.GET.get("background") == "1":
        job = jobs.submit_export(request.user, resource, file_format, geometry_type=geometry_type, **query)
        return redirect("io:job", pk=job.pk)
    if file_format == "geojson":
        # Audited before streaming (with the count just taken): once the response has
        # started, the request's audit channel is gone.
        export.audit_export(request.user, resource, file_format=file_format, rows=rows,
                            geometry_type=geometry_type, **query)
        response = StreamingHttpResponse(
            export.geojson_chunks(request.user, resource, geometry_type=geometry_type, **query),
            content_type="application/geo+json; charset=utf-8")
        suffix = f"-{geometry_type}" if geometry_type else ""
        response["Content-Disposition"] = _attachment(f"{label}{suffix}.geojson")
        return response
    # An xlsx is a zip whose directory is written last, so it is built in a temporary file
    # (write_only keeps memory flat) and then streamed from there.
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when the download ends)
    rows = export.write_ledger(request.user, resource, handle, **query)
    export.audit_export(request.user, resource, file_format=file_format, rows=rows, **query)
    handle.seek(0)
    response = FileResponse(handle, content_type=XLSX)
    response["Content-Disposition"] = _attachment(f"{label}台账.xlsx")
    return response
