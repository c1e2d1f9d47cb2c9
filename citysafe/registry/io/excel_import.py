"""Importing a registry workbook, all or nothing.

Every row goes through the registry's own service (create_x / update_x), so an import obeys
exactly the rules, roles and data scope a form does, and each stored row is audited with
channel "import". The whole file runs in one transaction: each service call is a savepoint,
so a bad row is rolled back alone and the next rows are still checked (the report names every
bad cell); at the end, one error anywhere rolls back everything.

The workbook is streamed (openpyxl read_only) and codes resolve through dicts loaded once
(CodeBook). The remaining per-row cost is the service's own queries and its audit record;
measured in bench/bench_io.py.
"""
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import audit_channel, record_change
from citysafe.core.audit_models import AuditChannel
from citysafe.core.records import OutOfScope
from citysafe.registry.io.codes import CodeBook
from citysafe.registry.io.kinds import ROW_LEVEL, get_kind
from citysafe.registry.io.workbook import FileProblem, check_upload, error_report, open_rows

PROGRESS_EVERY = 250


@dataclass(frozen=True)
class CellError:
    row: int          # row number in the sheet (1-based), or feature number for GeoJSON
    header: str       # column header ("" for the row as a whole)
    message: str


@dataclass
class ImportResult:
    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[CellError] = field(default_factory=list)
    file_error: str = ""
    report: bytes | None = None      # the workbook with 错误说明, when rows were bad

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        if self.errors:
            rows = len({e.row for e in self.errors})
            return _("%(rows)d行存在%(cells)d处错误，未导入任何数据") % {"rows": rows, "cells": len(self.errors)}
        return _("导入成功：共%(total)d行，新增%(created)d条，更新%(updated)d条") % {
            "total": self.total, "created": self.created, "updated": self.updated}


def service_errors(exc: Exception, label: str) -> list[tuple[str, str]]:
    """(service field or "", message) pairs for whatever a service refused with."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [(name, message) for name, errors in exc.error_dict.items()
                    for error in errors for message in error.messages]
        return [("", message) for message in exc.messages]
    if isinstance(exc, OutOfScope):
        return [("", str(exc))]
    if isinstance(exc, PermissionDenied):
        return [("", _("您的角色无权导入或修改%(label)s") % {"label": label})]
    if isinstance(exc, ObjectDoesNotExist):
        return [("", _("该记录不在您的数据范围内，不能更新"))]
    raise exc


class RowWriter:
    """Stores rows one by one through the registry service (the default path)."""

    def __init__(self, actor, kind, book: CodeBook, result: ImportResult):
        self.actor, self.kind, self.book, self.result = actor, kind, book, result

    def submit(self, number: int, parsed, pk) -> None:
        try:
            instance = self.kind.save(self.actor, pk, dict(parsed.data))
        except (ValidationError, PermissionDenied, ObjectDoesNotExist) as exc:
            self.refuse(number, parsed, service_errors(exc, self.kind.label))
            return
        self.accept(number, parsed, pk, instance)

    def refuse(self, number: int, parsed, problems: list[tuple[str, str]]) -> None:
        """Report a row; errors on a column that already has one (an unknown code) are not repeated."""
        already = set(parsed.errors)
        for name, message in problems:
            if name in ("", "__all__"):
                parsed.fail(ROW_LEVEL, message)
                continue
            headers = self.kind.error_headers(name, parsed)
            if headers == [ROW_LEVEL]:
                parsed.fail(ROW_LEVEL, f"{name}：{message}")
            elif not already.intersection(headers):
                for header in headers:
                    parsed.fail(header, message)
        self.record(number, parsed)

    def accept(self, number: int, parsed, pk, instance) -> None:
        if parsed.errors:
            self.record(number, parsed)
            return
        self.kind.remember(parsed.key, instance, self.book)
        if pk is None:
            self.result.created += 1
        else:
            self.result.updated += 1

    def record(self, number: int, parsed) -> None:
        for header, messages in parsed.errors.items():
            self.result.errors.extend(CellError(number, header, m) for m in messages)

    def finish(self) -> None:
        """Nothing is buffered on this path."""


def import_rows(actor, kind, rows, *, gcj02: bool = False, total: int = 0, progress=None,
                result: ImportResult, writer_class=RowWriter) -> ImportResult:
    """Parse rows, catch keys repeated in the file, hand each row to the writer. Call inside a
    transaction that the caller rolls back when `result.errors` is not empty."""
    book = CodeBook(actor)
    writer = writer_class(actor, kind, book, result)
    seen: dict = {}
    done = 0
    for number, cells in rows:
        done += 1
        parsed = kind.parse(cells, book, gcj02)
        if parsed.key is not None:
            if parsed.key in seen:
                header = next((h for h in kind.key_headers if h in cells), kind.key_headers[0])
                parsed.fail(header, _("与第%(row)d行重复（同一记录在文件中出现两次）") % {"row": seen[parsed.key]})
            else:
                seen[parsed.key] = number
        writer.submit(number, parsed, kind.existing(parsed.key, book) if parsed.key is not None else None)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(total, done), len(result.errors))
    writer.finish()
    result.total = done
    if progress is not None:
        progress(done, done, len(result.errors))
    return result


def import_workbook(actor, kind_name: str, data: bytes, *, gcj02: bool = False, progress=None,
                    filename: str = "", bulk: bool | None = None) -> ImportResult:
    """`bulk`: None chooses the bulk path for large enterprise files where the role allows
    it (see bulk_enterprises); True/False force it."""
    kind = get_kind(kind_name)
    result = ImportResult(kind=kind.name)
    try:
        check_upload(data, ".xlsx")
        layout, total, rows = open_rows(data, kind)
    except FileProblem as problem:
        result.file_error = str(problem)
        return result
    writer_class = RowWriter
    if bulk is not False and kind.name == "enterprises":
        from citysafe.registry.io.bulk_enterprises import BULK_THRESHOLD, EnterpriseBulkWriter

        if EnterpriseBulkWriter.allows(actor) and (bulk or total >= BULK_THRESHOLD):
            writer_class = EnterpriseBulkWriter
    if progress is not None:
        progress(0, total, 0)  # before the transaction, so the job page shows the size at once
    with audit_channel(AuditChannel.IMPORT), transaction.atomic():
        import_rows(actor, kind, rows, gcj02=gcj02, total=total, progress=progress, result=result,
                    writer_class=writer_class)
        if result.total == 0:
            result.file_error = _("文件中没有数据行")
        if not result.ok:
            transaction.set_rollback(True)
        else:
            record_change(actor=actor, action="import", object_type=kind.model._meta.label, object_id="",
                          object_repr=filename[:255] or kind.label,
                          after={"total": result.total, "created": result.created, "updated": result.updated,
                                 "gcj02": gcj02}, note=filename)
    if result.errors:
        result.report = error_report(data, kind, layout, result.errors)
    return result
