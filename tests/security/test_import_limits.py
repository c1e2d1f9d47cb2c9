"""Import limits and identifiers (issue 6, findings 7 and 8): a hostile or broken file is
refused with a clear message before any work starts, a crash never leaves a job 处理中, and
an identifier that Excel turned into a number is refused instead of stored rounded."""
import io
import zipfile
from datetime import timedelta

import pytest
import shapefile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from citysafe.registry.io import jobs
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.geojson_import import import_areas
from citysafe.registry.io.kinds import IMPORTABLE, get_kind
from citysafe.registry.io.models import DataJob
from citysafe.registry.io.tasks import run_import_job
from citysafe.registry.io.templates import build_template
from citysafe.registry.models import Enterprise, Person
from kernels.codes import id_check_digit
from tests.data_io.conftest import workbook_with_rows
from tests.data_io.test_import_errors import good_row, valid_uscc

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def rezip(data: bytes, replace: dict | None = None, add: dict | None = None, method=zipfile.ZIP_DEFLATED) -> bytes:
    """The same xlsx/zip with members replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content, compress_type=method)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def enterprise_rows(world, n: int) -> list[dict]:
    return [good_row(world, uscc=valid_uscc(100 + i), 企业名称=f"东乡县限额测试企业{i}") for i in range(n)]


def id_number(body: str = "62292619770706006") -> str:
    return body + id_check_digit(body)


# --- 7. limits checked before work starts ----------------------------------------------

def test_a_workbook_with_more_rows_than_the_limit_is_refused_and_stores_nothing(world, settings):
    settings.IMPORT_MAX_ROWS = 5
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", enterprise_rows(world, 6)))
    assert not result.ok
    assert "数据行过多" in result.file_error and "5" in result.file_error
    assert not Enterprise.objects.filter(uscc=valid_uscc(100)).exists()


def test_a_cell_longer_than_the_limit_is_refused_naming_the_row_and_column(world, settings):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    rows = enterprise_rows(world, 2)
    rows[1]["地址"] = "长" * 5000
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", rows))
    assert "第3行" in result.file_error and "地址" in result.file_error and "1000" in result.file_error
    assert not Enterprise.objects.filter(uscc=valid_uscc(100)).exists()


def test_a_zip_bomb_member_is_refused_from_the_zip_directory(world):
    data = rezip(workbook_with_rows("enterprises", enterprise_rows(world, 1)),
                 add={"xl/media/zeros.bin": b"\0" * (40 << 20)})
    assert len(data) < 1 << 20  # small on the wire, 40 MB inside
    result = import_workbook(world.admin, "enterprises", data)
    assert "压缩比异常" in result.file_error
    assert not Enterprise.objects.filter(uscc=valid_uscc(100)).exists()


def test_a_zip_bomb_upload_is_refused_at_once_and_never_queued(client, world):
    from tests.data_io.test_pages import upload

    data = rezip(workbook_with_rows("enterprises", enterprise_rows(world, 1)),
                 add={"xl/media/zeros.bin": b"\0" * (40 << 20)})
    client.force_login(world.admin)
    response = upload(client, "enterprises", data, "企业.xlsx")
    assert response.status_code == 422 and "压缩比异常" in response.content.decode()
    assert not DataJob.objects.exists()


def test_a_workbook_larger_than_the_uncompressed_limit_is_refused(world, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1 << 20
    import os

    data = rezip(workbook_with_rows("enterprises", enterprise_rows(world, 1)),
                 add={"xl/media/noise.bin": os.urandom(2 << 20)}, method=zipfile.ZIP_STORED)
    result = import_workbook(world.admin, "enterprises", data)
    assert "解压后过大" in result.file_error


def test_a_dtd_entity_bomb_is_refused(world):
    data = workbook_with_rows("enterprises", enterprise_rows(world, 1))
    sheet = member(data, SHEET).decode()
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    bomb = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>' + sheet[sheet.index("<worksheet"):]
    bomb = bomb.replace("东乡县限额测试企业0", "&i;", 1)
    result = import_workbook(world.admin, "enterprises", rezip(data, replace={SHEET: bomb.encode()}))
    assert "DOCTYPE" in result.file_error
    assert not Enterprise.objects.filter(uscc=valid_uscc(100)).exists()


def test_a_truncated_sheet_is_refused_with_a_clear_message(world):
    data = workbook_with_rows("enterprises", enterprise_rows(world, 40))
    sheet = member(data, SHEET)
    result = import_workbook(world.admin, "enterprises", rezip(data, replace={SHEET: sheet[: len(sheet) * 2 // 3]}))
    assert "损坏或不完整" in result.file_error
    assert not Enterprise.objects.filter(uscc=valid_uscc(100)).exists()


def shapefile_zip(cpg: bytes | None = None, shp: bytes | None = None, method=zipfile.ZIP_DEFLATED) -> bytes:
    shp_io, shx_io, dbf_io = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp_io, shx=shx_io, dbf=dbf_io, shapeType=shapefile.POLYGON)
    for name in ("code", "name", "level", "parent_cod"):
        writer.field(name, "C", 40)
    writer.poly([[[103.3, 35.6], [103.31, 35.6], [103.31, 35.61], [103.3, 35.6]]])
    writer.record("622926999", "测试区", "乡镇", "622926")
    writer.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("areas.shp", shp if shp is not None else shp_io.getvalue(), compress_type=method)
        archive.writestr("areas.shx", shx_io.getvalue())
        archive.writestr("areas.dbf", dbf_io.getvalue())
        if cpg is not None:
            archive.writestr("areas.cpg", cpg)
    return out.getvalue()


@pytest.mark.parametrize("cpg", ["编码".encode(), "GBK\xa0".encode("latin-1"), b"klingon-8"])
def test_a_shapefile_with_an_unreadable_cpg_gets_a_clear_message(world, cpg):
    result = import_areas(world.admin, shapefile_zip(cpg=cpg))
    assert ".cpg" in result.file_error and not result.created


def test_an_oversized_shp_is_refused(world, settings):
    zeros = shapefile_zip(shp=b"\0" * (60 << 20))  # a .shp of zeros: a few hundred KB zipped
    result = import_areas(world.admin, zeros)
    assert "压缩比异常" in result.file_error
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1 << 20
    import os

    noise = shapefile_zip(shp=os.urandom(2 << 20), method=zipfile.ZIP_STORED)
    assert "解压后过大" in import_areas(world.admin, noise).file_error


def test_a_truncated_shapefile_is_refused_with_a_clear_message(world):
    good = shapefile_zip()
    shp = member(good, "areas.shp")
    result = import_areas(world.admin, rezip(good, replace={"areas.shp": shp[: len(shp) - 20]}))
    assert "Shapefile" in result.file_error and ("损坏" in result.file_error or "不完整" in result.file_error)


# --- 7. every failure ends the job ----------------------------------------------------

def submitted_job(world, data: bytes) -> DataJob:
    return jobs.submit_import(world.admin, "enterprises", SimpleUploadedFile("企业.xlsx", data))


def test_a_crash_inside_the_worker_ends_the_job_failed_with_a_message(world):
    job = submitted_job(world, workbook_with_rows("enterprises", enterprise_rows(world, 1)))
    job.source.storage.delete(job.source.name)  # the stored upload vanished: the worker cannot read it

    run_import_job.call(job.pk)

    job.refresh_from_db()
    assert job.status == DataJob.Status.FAILED
    assert "导入失败" in job.message and "未导入任何数据" in job.message


def test_running_out_of_memory_ends_the_job_failed_with_a_message(world, monkeypatch):
    job = submitted_job(world, workbook_with_rows("enterprises", enterprise_rows(world, 1)))

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("openpyxl.reader.excel.ExcelReader.read", exhausted)
    run_import_job.call(job.pk)

    job.refresh_from_db()
    assert job.status == DataJob.Status.FAILED and "过大" in job.message


def test_an_import_left_running_by_a_killed_worker_is_swept_to_failed(world):
    from citysafe.core.scheduler import schedules

    long_ago = timezone.now() - timedelta(hours=2)
    dead = DataJob.objects.create(direction=DataJob.Direction.IMPORT, resource="enterprises", user=world.admin,
                                  status=DataJob.Status.RUNNING, started_at=long_ago,
                                  options={"heartbeat": long_ago.isoformat()})
    alive = DataJob.objects.create(direction=DataJob.Direction.IMPORT, resource="enterprises", user=world.admin,
                                   status=DataJob.Status.RUNNING, started_at=long_ago,
                                   options={"heartbeat": timezone.now().isoformat()})

    assert jobs.sweep_stale_imports() == 1

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == DataJob.Status.FAILED and "中断" in dead.message
    assert alive.status == DataJob.Status.RUNNING
    assert any(s.task.name == "sweep_stale_import_jobs" for s in schedules())


# --- 8. identifiers never pass through a number ---------------------------------------

TEXT_FORMAT = "必须以文本格式填写"


def test_an_id_number_or_phone_typed_as_a_number_is_refused_not_rounded(world):
    rows = [
        {"姓名": "张一", "电话": "13800000001", "身份证号码": 622926197707069952},   # an int cell
        {"姓名": "张二", "电话": "13800000002", "身份证号码": 6.2292619770707e17},  # what LibreOffice/Excel store
        {"姓名": "张三", "电话": 13800000003, "身份证号码": id_number()},            # a phone as a number
    ]
    result = import_workbook(world.admin, "persons", workbook_with_rows("persons", rows))

    assert not result.ok
    messages = {(e.row, e.header): e.message for e in result.errors}
    assert TEXT_FORMAT in messages[(2, "身份证号码")] and "Excel" in messages[(2, "身份证号码")]
    assert TEXT_FORMAT in messages[(3, "身份证号码")]
    assert TEXT_FORMAT in messages[(4, "电话")]
    assert not any("校验码" in e.message for e in result.errors)
    assert not Person.objects.filter(name__in=["张一", "张二", "张三"]).exists()
    assert not Person.objects.filter(id_number__startswith="6229261977070").exists()


def test_a_uscc_typed_as_a_number_is_refused(world):
    row = good_row(world, uscc=valid_uscc(7))
    row["统一社会信用代码"] = 916229260000000011
    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [row]))
    assert [e.header for e in result.errors if TEXT_FORMAT in e.message] == ["统一社会信用代码"]
    assert not Enterprise.objects.filter(uscc="916229260000000011").exists()


@pytest.mark.parametrize("kind_name", IMPORTABLE)
def test_templates_format_identifier_columns_as_text_on_every_allowed_row(world, kind_name, settings):
    settings.IMPORT_MAX_ROWS = 100000
    kind = get_kind(kind_name)
    sheet = load_workbook(io.BytesIO(build_template(kind_name)))[kind.label]
    headers = [c.value for c in sheet[1]]
    text_columns = [c for c in kind.import_columns if c.text]
    assert text_columns
    for column in text_columns:
        letter = sheet.cell(row=1, column=headers.index(column.header) + 1).column_letter
        # The column's own style: every cell typed into it, on any row, is text.
        assert sheet.column_dimensions[letter].number_format == "@", column.header
    spans = [str(r) for v in sheet.data_validations.dataValidation for r in v.sqref.ranges]
    assert all(span.endswith(str(100000 + 1)) for span in spans)
