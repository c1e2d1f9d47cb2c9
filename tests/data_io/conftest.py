"""Helpers for the import/export tests: reading workbooks back as plain values."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from citysafe.registry.io.export import LEDGER_HEADER_ROW, write_ledger
from citysafe.registry.io.kinds import get_kind


def ledger_bytes(user, resource: str, **query) -> bytes:
    buffer = io.BytesIO()
    write_ledger(user, resource, buffer, **query)
    return buffer.getvalue()


def ledger_rows(data: bytes) -> list[tuple]:
    """Header row and data rows of a ledger (the title and export-time rows differ by run)."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(min_row=LEDGER_HEADER_ROW, values_only=True)]


def workbook_with_rows(kind_name: str, rows: list[dict]) -> bytes:
    """A plain workbook: header row of the kind's import columns, then the given rows."""
    kind = get_kind(kind_name)
    headers = [c.header for c in kind.import_columns]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.label
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def ledger():
    return ledger_bytes
