"""Importing a registry workbook, all or nothing.

Every row goes through the registry's own service (create_x / update_x), so an import obeys
exactly the rules, roles and data scope a form does, and each stored row is audited with
channel "import"; the report names every bad cell, and one error anywhere stores nothing.

Two phases, so that the database is locked only for the write: every row is parsed and
checked first, reading only, outside any transaction (a file with a bad cell never opens the
write transaction; its rows are dry-run through their services one short transaction each
to complete the report); then one transaction writes every row. On the enterprise bulk path
the write is a few bulk statements; on the per-row path it is each row's service call.

The workbook is streamed (openpyxl read_only) and codes resolve through dicts loaded once
(CodeBook). The remaining per-row cost is the service's own queries and its audit record;
measured in bench/bench_io.py.
"""
import itertools
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core.audit import audit_channel, record_change
from citysafe.core.audit_models import AuditChannel
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
    if isinstance(exc, PermissionDenied):
        return [("", _("您的角色无权导入或修改%(label)s") % {"label": label})]
    if isinstance(exc, ObjectDoesNotExist):
        return [("", _("该记录不在您的数据范围内，不能更新"))]
    raise exc


class RowWriter:
    """Stores rows one by one through the registry service (the default path).

    Phase 1 (`check`, `finish_checks`) runs outside any transaction. When a row's cells are
    already bad, every row is run through its service in a dry run of its own (a transaction
    rolled back at once), so the report still names every bad cell while the database's
    write lock (SQLite) is held for one row at a time, never for the whole file. Phase 2
    (`write`) runs inside the caller's one transaction; it stops at the first refused row
    (the caller rolls back) and `after_write` dry-runs the rest to complete the report.
    """

    def __init__(self, actor, kind, book: CodeBook, result: ImportResult, progress=None):
        self.actor, self.kind, self.book, self.result = actor, kind, book, result
        self.progress = progress
        self.rows: list[tuple[int, object, object]] = []
        self.rest: list[tuple[int, object, object]] = []

    def check(self, number: int, parsed, pk) -> None:
        self.rows.append((number, parsed, pk))

    def finish_checks(self) -> None:
        if any(parsed.errors for _n, parsed, _pk in self.rows):
            self.dry_run(self.rows)
            if not self.result.errors:  # cannot happen: a row with errors is always recorded
                raise AssertionError("bad rows were not recorded")

    def write(self) -> None:
        for index, (number, parsed, pk) in enumerate(self.rows):
            if not self.submit(number, parsed, pk):
                self.rest = self.rows[index + 1:]
                return
            if self.progress is not None and index % PROGRESS_EVERY == 0:
                self.progress(index, len(self.rows), 0)

    def after_write(self) -> None:
        if self.rest:
            self.dry_run(self.rest)

    def dry_run(self, rows) -> None:
        for index, (number, parsed, pk) in enumerate(rows, start=1):
            with transaction.atomic():
                self.submit(number, parsed, pk, dry=True)
                transaction.set_rollback(True)
            if self.progress is not None and index % PROGRESS_EVERY == 0:
                self.progress(index, len(rows), len(self.result.errors))

    def submit(self, number: int, parsed, pk, dry: bool = False) -> bool:
        """One row through its service; False when the row was refused."""
        try:
            instance = self.kind.save(self.actor, pk, dict(parsed.data))
        except (ValidationError, PermissionDenied, ObjectDoesNotExist) as exc:
            self.refuse(number, parsed, service_errors(exc, self.kind.label))
            return False
        return self.accept(number, parsed, pk, instance, dry)

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

    def accept(self, number: int, parsed, pk, instance, dry: bool = False) -> bool:
        if parsed.errors:
            self.record(number, parsed)
            return False
        if dry:
            return True
        self.kind.remember(parsed.key, instance, self.book)
        if pk is None:
            self.result.created += 1
        else:
            self.result.updated += 1
        return True

    def record(self, number: int, parsed) -> None:
        for header, messages in parsed.errors.items():
            self.result.errors.extend(CellError(number, header, m) for m in messages)


def check_rows(kind, rows, writer, book: CodeBook, *, gcj02: bool = False, total: int = 0,
               progress=None) -> int:
    """Phase 1, reads only: parse every row, catch keys repeated in the file, hand each row to
    the writer's checks. Raises FileProblem (too many rows, a huge cell, a damaged sheet)."""
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
        writer.check(number, parsed, kind.existing(parsed.key, book) if parsed.key is not None else None)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(total, done), len(writer.result.errors))
    return done


def import_workbook(actor, kind_name: str, data: bytes, *, gcj02: bool = False, progress=None,
                    filename: str = "", bulk: bool | None = None) -> ImportResult:
    """Check every row first (reads only, no transaction), then write in one short transaction:
    the database is locked only for the write, and nothing is stored unless every row is good.

    `bulk`: None chooses the bulk path for large enterprise files where the role allows
    it (see bulk_enterprises); True/False force it."""
    kind = get_kind(kind_name)
    result = ImportResult(kind=kind.name)
    layout = None
    try:
        check_upload(data, ".xlsx")
        layout, total, rows = open_rows(data, kind)
        writer_class = RowWriter
        if bulk is not False and kind.name == "enterprises":
            from citysafe.registry.io.bulk_enterprises import BULK_THRESHOLD, EnterpriseBulkWriter

            if EnterpriseBulkWriter.allows(actor):
                if bulk is None:
                    # The sheet's declared size may be missing (write-only writers) or wrong:
                    # count the first rows instead.
                    head = list(itertools.islice(rows, BULK_THRESHOLD))
                    rows = itertools.chain(head, rows)
                    bulk = len(head) >= BULK_THRESHOLD
                if bulk:
                    writer_class = EnterpriseBulkWriter
        if progress is not None:
            progress(0, total, 0)  # at once, so the job page shows the size
        book = CodeBook(actor)
        writer = writer_class(actor, kind, book, result, progress=progress)
        with audit_channel(AuditChannel.IMPORT):
            result.total = check_rows(kind, rows, writer, book, gcj02=gcj02, total=total, progress=progress)
            if result.total == 0:
                raise FileProblem(_("文件中没有数据行"))
            writer.finish_checks()
    except FileProblem as problem:
        result.file_error = str(problem)
        result.errors = []
        return result
    if result.ok:
        with audit_channel(AuditChannel.IMPORT):
            with transaction.atomic():
                writer.write()
                if not result.ok:
                    transaction.set_rollback(True)
                else:
                    record_change(actor=actor, action="import", object_type=kind.model._meta.label, object_id="",
                                  object_repr=filename[:255] or kind.label,
                                  after={"total": result.total, "created": result.created,
                                         "updated": result.updated, "gcj02": gcj02}, note=filename)
            writer.after_write()
    if progress is not None:
        progress(result.total, result.total, len(result.errors))
    if result.errors:
        result.created = result.updated = 0
        result.report = error_report(data, kind, layout, result.errors, total=result.total)
    return result
