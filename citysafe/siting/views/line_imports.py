"""Importing lines / tunnels from GeoJSON or a zipped Shapefile, in two steps: upload (the file is
kept as an import job of the /io/ machinery, its columns read), then the column mapping; the
import runs with the mapping and the job page of /io/ shows the result and the error report."""
import os

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.registry.io.models import DataJob
from citysafe.registry.io.workbook import FileProblem, import_max_bytes
from citysafe.siting.line_import import KINDS, guess_mapping, import_lines, read_source

SUFFIXES = (".geojson", ".json", ".zip")


def _may(user, kind_name) -> bool:
    model = KINDS[kind_name].model
    return scope.may(user, model, scope.Action.CREATE) or scope.may(user, model, scope.Action.CHANGE)


def _stage(request):
    kind_name, upload = request.POST.get("resource", ""), request.FILES.get("file")
    if kind_name not in KINDS:
        raise FileProblem(_("数据类型：请选择地下管线或综合管廊"))
    if not _may(request.user, kind_name):
        raise PermissionDenied
    if upload is None:
        raise FileProblem(_("请选择要上传的文件"))
    name = os.path.basename(upload.name or "upload")
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in SUFFIXES:
        raise FileProblem(_("文件类型不支持：请上传 %(types)s 文件") % {"types": " / ".join(SUFFIXES)})
    if upload.size > import_max_bytes():
        raise FileProblem(_("文件过大：上限为 %(mb)d MB") % {"mb": import_max_bytes() // (1024 * 1024)})
    data = upload.read()
    source = read_source(data)  # refuses the whole file now (type, size, projection, damage)
    if not source.features:
        raise FileProblem(_("文件中没有要素"))
    job = DataJob.objects.create(direction=DataJob.Direction.IMPORT, resource=kind_name, user=request.user,
                                 file_format=suffix.lstrip("."), source_name=name, total_rows=len(source.features),
                                 options={"columns": source.columns}, message=_("等待列映射"))
    job.source.save(f"source{suffix}", ContentFile(data), save=True)
    record_change(actor=request.user, action="submit_import", instance=job, after={"resource": kind_name, "file": name})
    return job


@login_required
def import_page(request):
    kinds = [(name, kind.display_name) for name, kind in KINDS.items() if _may(request.user, name)]
    if not kinds:
        raise PermissionDenied
    error, status = "", 200
    if request.method == "POST":
        try:
            job = _stage(request)
            return redirect("siting:line_import_mapping", job.pk)
        except FileProblem as problem:
            error, status = str(problem), 422
    return render(request, "siting/line_import.html", {"kinds": kinds, "error": error,
                                                       "max_mb": import_max_bytes() // (1024 * 1024)}, status=status)


@login_required
def mapping_page(request, pk):
    job = get_object_or_404(DataJob, pk=pk, user=request.user, resource__in=list(KINDS),
                            direction=DataJob.Direction.IMPORT, status=DataJob.Status.QUEUED)
    kind, columns = KINDS[job.resource], job.options.get("columns", [])
    mapping = guess_mapping(job.resource, columns)
    if request.method == "POST":
        mapping = {c.key: request.POST.get(f"map_{c.key}", "") for c in kind.import_columns if c.key != "geometry"}
        with job.source.open("rb") as handle:
            data = handle.read()
        job.started_at = timezone.now()
        result = import_lines(request.user, job.resource, data, mapping, filename=job.source_name)
        if result.report is not None:
            job.result.save("错误报告.xlsx", ContentFile(result.report), save=False)
        job.status = DataJob.Status.SUCCEEDED if result.ok else DataJob.Status.FAILED
        job.total_rows = job.done_rows = result.total
        job.error_count, job.created, job.updated = len(result.errors), result.created, result.updated
        job.message, job.finished_at = result.summary(), timezone.now()
        job.options = {**job.options, "mapping": mapping}
        job.save()
        return redirect("io:job", pk=job.pk)
    fields = [{"key": c.key, "header": c.header, "rule": c.rule, "required": c.required, "chosen": mapping.get(c.key, "")}
              for c in kind.import_columns if c.key != "geometry"]
    return render(request, "siting/line_import_mapping.html", {"job": job, "kind": kind, "fields": fields,
                                                               "columns": columns})
