"""Workbooks as county offices keep them: legacy .xls and LibreOffice/WPS .ods import like
.xlsx, under the same rules (identifiers typed as numbers refused), told apart by content."""
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citysafe.registry.io import jobs
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.kinds import get_kind
from citysafe.registry.io.workbook import FileProblem
from citysafe.registry.models import Enterprise
from tests.data_io.test_import_errors import good_row, valid_uscc


def headers() -> list[str]:
    return [c.header for c in get_kind("enterprises").import_columns]


def xls_bytes(rows: list[dict]) -> bytes:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("企业")
    for col, header in enumerate(headers()):
        sheet.write(0, col, header)
    for number, row in enumerate(rows, start=1):
        for col, header in enumerate(headers()):
            if row.get(header) is not None:
                sheet.write(number, col, row[header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_bytes(rows: list[dict]) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice's format requires: the stored
    `mimetype` first, a manifest, and content.xml with typed cells (hand-made: a few lines of
    XML instead of a test dependency)."""
    def cell(value):
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    lines = ["<table:table-row>" + "".join(cell(h) for h in headers()) + "</table:table-row>"]
    lines += ["<table:table-row>" + "".join(cell(r.get(h)) for h in headers()) + "</table:table-row>" for r in rows]
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="企业">'
               + "".join(lines) + "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return out.getvalue()


WRITERS = {"xls": xls_bytes, "ods": ods_bytes}


@pytest.mark.parametrize("file_type", ["xls", "ods"])
def test_xls_and_ods_workbooks_import_like_xlsx(world, file_type):
    row = good_row(world, uscc=valid_uscc(41), 所属网格代码=world.grid.code)
    result = import_workbook(world.admin, "enterprises", WRITERS[file_type]([row]), filename=f"企业.{file_type}")
    assert result.ok, (result.file_error, [(e.header, e.message) for e in result.errors])
    enterprise = Enterprise.objects.get(uscc=valid_uscc(41))
    assert enterprise.grid_id == world.grid.pk and enterprise.name == row["企业名称"]


@pytest.mark.parametrize("file_type", ["xls", "ods"])
def test_identifier_typed_as_a_number_is_refused_in_xls_and_ods(world, file_type):
    row = good_row(world, uscc=valid_uscc(42), 所属网格代码=float(world.grid.code))
    result = import_workbook(world.admin, "enterprises", WRITERS[file_type]([row]), filename=f"企业.{file_type}")
    assert not result.ok
    assert any(e.header == "所属网格代码" and "文本格式" in e.message for e in result.errors)
    assert result.report  # the list of errors, downloadable


@pytest.mark.parametrize("file_type", ["xls", "ods"])
def test_upload_accepts_xls_and_ods_by_content(world, file_type):
    data = WRITERS[file_type]([good_row(world, uscc=valid_uscc(43))])
    job = jobs.submit_import(world.admin, "enterprises", SimpleUploadedFile(f"企业.{file_type}", data))
    assert job.file_format == file_type


def test_a_file_that_is_no_workbook_is_refused_in_chinese(world):
    with pytest.raises(FileProblem, match="xls"):
        jobs.submit_import(world.admin, "enterprises", SimpleUploadedFile("企业.xls", b"just some text"))
    result = import_workbook(world.admin, "enterprises", b"just some text", filename="企业.ods")
    assert ".ods" in result.file_error
