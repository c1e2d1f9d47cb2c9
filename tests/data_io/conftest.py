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


def blank_columns(data: bytes, headers: set[str]) -> bytes:
    """The ledger with the named columns emptied (a first import before the persons exist)."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    positions = [cell.column for cell in sheet[LEDGER_HEADER_ROW] if cell.value in headers]
    assert len(positions) == len(headers), headers
    for row in range(LEDGER_HEADER_ROW + 1, sheet.max_row + 1):
        for column in positions:
            sheet.cell(row=row, column=column).value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_record(user, kind_name: str, match: dict) -> dict:
    """The record of a user's ledger whose cells hold `match`, as {header: value}, import columns only."""
    rows = ledger_rows(ledger_bytes(user, kind_name))
    header = rows[0]
    row = next(r for r in rows[1:] if all(r[header.index(h)] == v for h, v in match.items()))
    importable = {c.header for c in get_kind(kind_name).import_columns}
    return {h: v for h, v in zip(header, row, strict=False) if h in importable}


@pytest.fixture
def ledger():
    return ledger_bytes
