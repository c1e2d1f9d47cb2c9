"""Upload, background job with progress, error workbook download, template and export pages."""
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from citysafe.registry.io.models import DataJob
from citysafe.registry.io.tasks import run_export_job, run_import_job
from citysafe.registry.models import Enterprise, Place
from tests.data_io.conftest import ledger_rows, workbook_with_rows
from tests.data_io.test_import_errors import bad_uscc, good_row, valid_uscc


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, resource, data, name, **extra):
    return client.post(reverse("io:import"), {"resource": resource, "file": io.BytesIO(data) | _named(name), **extra})


def _named(name):
    class Named:
        def __ror__(self, buffer):
            buffer.name = name
            return buffer
    return Named()


def test_template_download_has_instructions_and_dropdowns(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("io:template", args=["enterprises"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["企业", "说明", "代码表"]
    guide_rows = [r[0] for r in workbook["说明"].iter_rows(values_only=True)]
    assert "安全生产标准化等级" in guide_rows and "所属乡镇代码" in guide_rows
    formulas = {v.formula1 for v in workbook["企业"].data_validations.dataValidation}
    assert any("代码表" in f for f in formulas)
    assert len(formulas) >= 5  # industry, scale, township, grid, organisation, grade


def test_upload_of_wrong_type_is_refused_with_a_message(client, world):
    client.force_login(world.admin)
    response = upload(client, "enterprises", b"a,b\n", "enterprises.csv")
    assert response.status_code == 422
    assert "文件类型不支持" in response.content.decode()
    assert not DataJob.objects.exists()


def test_upload_over_the_limit_is_refused(client, world, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(world.admin)
    response = upload(client, "enterprises", workbook_with_rows("enterprises", [good_row(world)]), "e.xlsx")
    assert response.status_code == 422 and "文件过大" in response.content.decode()


def test_bad_upload_runs_in_background_and_offers_the_error_workbook(client, world):
    client.force_login(world.admin)
    data = workbook_with_rows("enterprises", [good_row(world), good_row(world, uscc=bad_uscc(2))])
    response = upload(client, "enterprises", data, "企业.xlsx")
    job = DataJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("io:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert f'hx-get="{reverse("io:progress", args=[job.pk])}"' in page  # polling while queued

    run_import_job.call(job.pk)

    job.refresh_from_db()
    assert job.status == DataJob.Status.FAILED and job.error_count == 1
    progress = client.get(reverse("io:progress", args=[job.pk])).content.decode()
    assert "hx-get" not in progress and "错误报告" in progress
    report = client.get(reverse("io:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).worksheets[0]
    assert sheet.cell(row=1, column=sheet.max_column).value == "错误说明"
    assert "统一社会信用代码" in sheet.cell(row=3, column=sheet.max_column).value
    assert not Enterprise.objects.filter(uscc=valid_uscc(1)).exists()
    client.force_login(world.township_officer)
    assert client.get(reverse("io:job", args=[job.pk])).status_code == 404


def test_good_upload_succeeds_in_background(client, world):
    client.force_login(world.admin)
    upload(client, "enterprises", workbook_with_rows("enterprises", [good_row(world)]), "企业.xlsx",
           gcj02="")
    job = DataJob.objects.get()
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == DataJob.Status.SUCCEEDED and job.created == 1 and job.percent == 100
    assert Enterprise.objects.filter(uscc=valid_uscc(1)).exists()


def test_direct_export_follows_the_users_scope_and_filters(client, world):
    client.force_login(world.township_officer)
    response = client.get(reverse("io:export", args=["places"]), {"format": "xlsx", "place_type": "school"})
    assert response.status_code == 200
    rows = ledger_rows(b"".join(response.streaming_content))
    township_col, name_col, type_col = (rows[0].index(h) for h in ("所属乡镇代码", "名称", "类型"))
    expected = Place.objects.filter(township=world.township_a, place_type="school", archived_at__isnull=True)
    assert expected.exists()
    assert sorted(r[name_col] for r in rows[1:]) == sorted(expected.values_list("name", flat=True))
    assert {(r[township_col], r[type_col]) for r in rows[1:]} == {(world.township_a.code, "学校")}
    geo = client.get(reverse("io:export", args=["enterprises"]), {"format": "geojson"})
    collection = json.loads(b"".join(geo.streaming_content))
    assert {f["properties"]["township_code"] for f in collection["features"]} == {world.township_a.code}
    assert len(collection["features"]) == Enterprise.objects.filter(
        township=world.township_a, archived_at__isnull=True).count()


def test_background_export_produces_a_downloadable_file(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("io:export", args=["enterprises"]), {"format": "xlsx", "background": "1"})
    job = DataJob.objects.get()
    assert response.status_code == 302
    run_export_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == DataJob.Status.SUCCEEDED and job.done_rows == Enterprise.objects.count()
    download = client.get(reverse("io:download", args=[job.pk]))
    assert len(ledger_rows(b"".join(download.streaming_content))) == Enterprise.objects.count() + 1


def test_export_with_an_unknown_filter_is_a_clear_422(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("io:export", args=["places"]), {"format": "xlsx", "ordering": "x", "q": ""})
    assert response.status_code == 200  # unknown query keys that are not filters are ignored
    response = client.get(reverse("io:export", args=["places"]), {"format": "pdf"})
    assert response.status_code == 422


def test_index_page_lists_templates_and_jobs(client, world):
    client.force_login(world.township_officer)
    page = client.get(reverse("io:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("io:template", args=["enterprises"]) in text
    assert reverse("io:template", args=["organisations"]) not in text  # admins only
