"""Submitting and running background import/export jobs.

`submit_import` / `submit_export` are the services: they store the job row and enqueue the
task in one transaction (the database task backend INSERTs the queue row, so a job is never
lost between "saved" and "queued"). `run_import` / `run_export` do the work in the worker.
"""
import json
import logging
import os
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.registry.io import export
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.geojson_import import import_areas
from citysafe.registry.io.kinds import IMPORTABLE, get_kind, importable
from citysafe.registry.io.models import DataJob
from citysafe.registry.io.spreadsheets import sniff
from citysafe.registry.io.workbook import FileProblem, check_upload, inspect_archive

logger = logging.getLogger(__name__)

IMPORT_KINDS = (*IMPORTABLE, "areas")
EXPORT_FORMATS = ("xlsx", "geojson")
WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods")  # the content decides the reader (io.spreadsheets.sniff)


@transaction.atomic
def submit_import(actor, resource: str, upload, *, gcj02: bool = False) -> DataJob:
    """`upload`: a Django UploadedFile (or any File). Type and size are checked here."""
    if resource not in (*importable(), "areas"):
        raise ValueError(_("不支持导入该类型的数据"))
    kind = get_kind(resource)
    action = scope.Action.CREATE
    if not scope.may(actor, kind.model, action) and not scope.may(actor, kind.model, scope.Action.CHANGE):
        raise PermissionDenied(_("您的角色无权导入%(label)s") % {"label": kind.label})
    name = os.path.basename(getattr(upload, "name", "") or "upload")
    suffix = os.path.splitext(name)[1].lower()
    allowed = (".geojson", ".json", ".zip") if resource == "areas" else WORKBOOK_SUFFIXES
    if suffix not in allowed:
        raise FileProblem(_("文件类型不支持：请上传 %(types)s 文件") % {"types": " / ".join(allowed)})
    data = upload.read()
    workbook = suffix in WORKBOOK_SUFFIXES
    check_upload(data, ".xlsx" if workbook else suffix if suffix == ".zip" else "")
    if suffix == ".zip" or (workbook and sniff(data) in ("xlsx", "ods")):
        # a zip bomb or a DTD is refused at once, not in the worker
        inspect_archive(data, xml=workbook)
    job = DataJob.objects.create(direction=DataJob.Direction.IMPORT, resource=resource, user=actor,
                                 file_format=suffix.lstrip("."), options={"gcj02": bool(gcj02)}, source_name=name)
    job.source.save(f"source{suffix}", ContentFile(data), save=True)
    record_change(actor=actor, action="submit_import", instance=job, after={"resource": resource, "file": name})
    _run_import_task().enqueue(job.pk)
    return job


@transaction.atomic
def submit_export(actor, resource: str, file_format: str, *, search: str = "", filters: dict | None = None,
                  ordering: str = "id", geometry_type: str = "") -> DataJob:
    get_kind(resource)
    if file_format not in EXPORT_FORMATS:
        raise ValueError(_("不支持的导出格式"))
    # Fail now on a filter the list does not offer, not later in the worker.
    export.count_rows(actor, resource, search=search, filters=filters, ordering=ordering)
    options = {"search": search, "filters": filters or {}, "ordering": ordering or "id"}
    if geometry_type and file_format == "geojson":
        options["geometry_type"] = export.check_geometry_type(geometry_type)
    job = DataJob.objects.create(direction=DataJob.Direction.EXPORT, resource=resource, user=actor,
                                 file_format=file_format, options=options)
    record_change(actor=actor, action="submit_export", instance=job, after={"resource": resource, "format": file_format})
    _run_export_task().enqueue(job.pk)
    return job


def _run_import_task():
    from citysafe.registry.io.tasks import run_import_job

    return run_import_job


def _run_export_task():
    from citysafe.registry.io.tasks import run_export_job

    return run_export_job


class ProgressWriter:
    """Writes progress to the job row while the work runs.

    An import is one long transaction, whose writes other connections cannot see; progress
    therefore goes through a second connection where the database allows concurrent
    writers (PostgreSQL). SQLite has a single writer, which the import holds, so there the
    row is updated only outside the import transaction (reading phase, and at the end).
    """

    def __init__(self, job: DataJob, every_seconds: float = 1.0):
        self.job = job
        self.every = every_seconds
        self.last = 0.0
        self.side = None

    def __call__(self, done: int, total: int | None = None, errors: int = 0) -> None:
        now = timezone.now().timestamp()
        if now - self.last < self.every:
            return
        self.last = now
        values = {"done_rows": done, "total_rows": max(total or 0, done), "error_count": errors}
        if not connection.in_atomic_block:
            DataJob.objects.filter(pk=self.job.pk).update(**values)
            return
        if connection.vendor != "postgresql":
            return
        if self.side is None:
            self.side = connections.create_connection("default")
        with self.side.cursor() as cursor:
            cursor.execute(f"UPDATE {DataJob._meta.db_table} SET done_rows=%s, total_rows=%s, error_count=%s "  # noqa: S608 (table name from the model, values bound)
                           "WHERE id=%s", [values["done_rows"], values["total_rows"], errors, self.job.pk])

    def close(self):
        if self.side is not None:
            self.side.close()


def _finish(job: DataJob, **values) -> None:
    values.setdefault("finished_at", timezone.now())
    for name, value in values.items():
        setattr(job, name, value)
    job.save()


class ImportProgress(ProgressWriter):
    """ProgressWriter that also writes a heartbeat (options["heartbeat"]), by which
    `sweep_stale_imports` tells a running import from one whose worker was killed. Kept in
    the job's options so that no schema change is needed."""

    def __call__(self, done: int, total: int | None = None, errors: int = 0) -> None:
        now = timezone.now()
        if now.timestamp() - self.last < self.every:
            return
        super().__call__(done, total, errors)
        options = {**(self.job.options or {}), "heartbeat": now.isoformat()}
        self.job.options = options
        if not connection.in_atomic_block:
            DataJob.objects.filter(pk=self.job.pk).update(options=options)
        elif self.side is not None:  # PostgreSQL, inside the import's transaction
            with self.side.cursor() as cursor:
                cursor.execute(f"UPDATE {DataJob._meta.db_table} SET options=%s::jsonb WHERE id=%s",  # noqa: S608
                               [json.dumps(options), self.job.pk])


def crash_message(exc: BaseException) -> str:
    """What the user reads when an import ended in an exception instead of a result."""
    if isinstance(exc, MemoryError):
        return _("导入失败：文件过大，处理时内存不足，未导入任何数据。请拆分为较小的文件后重新导入")
    if not isinstance(exc, Exception):
        return _("导入中断：处理进程被停止，未导入任何数据，请重新提交")
    return _("导入失败：处理文件时发生意外错误（%(error)s），未导入任何数据。请检查文件后重新导入，或联系管理员") % {
        "error": exc.__class__.__name__}


def _fail(job: DataJob, message: str) -> None:
    """Mark the job failed; tried twice because the error may have left the connection unusable.
    If both fail, the stale-job sweep marks it later."""
    for attempt in (1, 2):
        try:
            DataJob.objects.filter(pk=job.pk).update(status=DataJob.Status.FAILED, finished_at=timezone.now(),
                                                     message=message)
            return
        except Exception:  # whatever the database says, the sweep is the fallback
            logger.exception("import job %s: could not be marked failed (attempt %d)", job.pk, attempt)
            connection.close()


def run_import(job_id: int) -> dict:
    """Every ending is recorded on the job: a result, a refused file, or any exception
    (MemoryError included) as failed with a message the user understands — never 处理中."""
    job = DataJob.objects.select_related("user").get(pk=job_id)
    _finish(job, status=DataJob.Status.RUNNING, started_at=timezone.now(), finished_at=None,
            options={**(job.options or {}), "heartbeat": timezone.now().isoformat()})
    progress = ImportProgress(job)
    try:
        with job.source.open("rb") as handle:
            data = handle.read()
        gcj02 = bool(job.options.get("gcj02"))
        if job.resource == "areas":
            result = import_areas(job.user, data, gcj02=gcj02, filename=job.source_name, progress=progress)
        else:
            result = import_workbook(job.user, job.resource, data, gcj02=gcj02, filename=job.source_name,
                                     progress=progress)
        data = None
        if result.report is not None:
            job.result.save("错误报告.xlsx", ContentFile(result.report), save=False)
        _finish(job, status=DataJob.Status.SUCCEEDED if result.ok else DataJob.Status.FAILED,
                total_rows=result.total, done_rows=result.total, error_count=len(result.errors),
                created=result.created, updated=result.updated, message=result.summary())
    except Exception as exc:  # any failure must end the job, not leave it 处理中
        data = None
        logger.exception("import job %s crashed", job_id)
        _fail(job, crash_message(exc))
        return {"ok": False, "error": exc.__class__.__name__}
    except BaseException as exc:  # the worker is being stopped: record it, then let it stop
        _fail(job, crash_message(exc))
        raise
    finally:
        progress.close()
    return {"ok": result.ok, "total": result.total, "errors": len(result.errors)}


def sweep_stale_imports(now=None) -> int:
    """Imports left 处理中 by a killed worker (no heartbeat for IMPORT_STALE_MINUTES) are marked
    failed. Run by the scheduler (core/scheduler.py). If the worker was alive after all, its own
    result overwrites this when it finishes."""
    now = now or timezone.now()
    minutes = int(getattr(settings, "IMPORT_STALE_MINUTES", 30))
    cutoff = now - timedelta(minutes=minutes)
    message = _("导入中断：处理进程已停止（超过%(n)d分钟没有进展），未导入任何数据，请重新提交") % {"n": minutes}
    swept = 0
    running = DataJob.objects.filter(direction=DataJob.Direction.IMPORT, status=DataJob.Status.RUNNING)
    for pk, options, started_at, created_at in running.values_list("id", "options", "started_at", "created_at"):
        beat = parse_datetime((options or {}).get("heartbeat") or "") or started_at or created_at
        if beat < cutoff:
            swept += DataJob.objects.filter(pk=pk, status=DataJob.Status.RUNNING).update(
                status=DataJob.Status.FAILED, finished_at=now, message=message)
    if swept:
        logger.warning("swept %d stale import job(s) to failed", swept)
    return swept


def run_export(job_id: int) -> dict:
    """Write the export file. Whatever goes wrong ends the job as failed with a message the
    user can act on (the details go to the log), never leaves it 处理中."""
    job = DataJob.objects.select_related("user").get(pk=job_id)
    try:
        return _write_export(job)
    except Exception:
        logger.exception("export job %s failed", job.pk)
        _finish(job, status=DataJob.Status.FAILED, result="", message=_(
            "导出失败：生成文件时出错，未产生导出文件。请稍后重试；如仍失败，请联系管理员并告知任务编号 %(id)d。")
            % {"id": job.pk})
        return {"rows": 0, "failed": True}


def _write_export(job: DataJob) -> dict:
    options = {"search": job.options.get("search", ""), "filters": job.options.get("filters") or {},
               "ordering": job.options.get("ordering") or "id"}
    geometry_type = job.options.get("geometry_type", "")
    if geometry_type:
        total = export.count_geojson_rows(job.user, job.resource, geometry_type=geometry_type, **options)
    else:
        total = export.count_rows(job.user, job.resource, **options)
    _finish(job, status=DataJob.Status.RUNNING, started_at=timezone.now(), finished_at=None, total_rows=total)
    progress = ProgressWriter(job)
    label = get_kind(job.resource).label
    try:
        with tempfile.TemporaryFile() as handle:
            if job.file_format == "xlsx":
                rows = export.write_ledger(job.user, job.resource, handle, progress=lambda n: progress(n, total),
                                           **options)
            else:
                text = _TextSink(handle)
                rows = export.write_geojson(job.user, job.resource, text, progress=lambda n: progress(n, total),
                                            geometry_type=geometry_type, **options)
            # Audited before the file is stored: no export file exists without its record.
            export.audit_export(job.user, job.resource, file_format=job.file_format, rows=rows, job=job,
                                geometry_type=geometry_type, **options)
            handle.seek(0)
            job.result.save(f"{label}台账.{job.file_format}", File(handle), save=False)
    finally:
        progress.close()
    _finish(job, status=DataJob.Status.SUCCEEDED, done_rows=rows, total_rows=rows,
            message=_("导出完成：共%(n)d条") % {"n": rows})
    return {"rows": rows}


class _TextSink:
    """A text writer over a binary file (GeoJSON is UTF-8)."""

    def __init__(self, handle):
        self.handle = handle

    def write(self, text: str) -> None:
        self.handle.write(text.encode("utf-8"))
