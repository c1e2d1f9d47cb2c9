"""/io/ speaks the reader's language (kind names, states), shows a failed job as failed, and an
export has exactly the rows of the list on screen in the order on screen (issue 8)."""
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from citysafe.registry.io.models import DataJob
from citysafe.registry.io.tasks import run_export_job
from citysafe.registry.models import Enterprise
from tests.data_io.conftest import ledger_rows


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def failed_import(user) -> DataJob:
    return DataJob.objects.create(direction=DataJob.Direction.IMPORT, resource="enterprises", user=user,
                                  status=DataJob.Status.FAILED, total_rows=100, done_rows=100, error_count=3,
                                  message="3行存在3处错误，未导入任何数据")


def test_job_title_and_table_name_the_kind_in_chinese_not_its_key(client, world):
    client.force_login(world.admin)
    job = failed_import(world.admin)
    page = client.get(reverse("io:job", args=[job.pk])).content.decode()
    assert f"导入 · 企业 #{job.pk}" in page and "enterprises #" not in page
    index = client.get(reverse("io:index")).content.decode()
    row = index.split(f"#{job.pk}</a>", 1)[1].split("</tr>", 1)[0]
    assert "<td>企业 " in row and "enterprises" not in row and "未通过" in row and "failed" not in row


def test_a_failed_job_shows_the_failure_not_a_nearly_full_bar(client, world):
    client.force_login(world.admin)
    job = failed_import(world.admin)
    progress = client.get(reverse("io:progress", args=[job.pk])).content.decode()
    assert "<progress" not in progress and "99%" not in progress
    assert 'class="job-failed" role="alert"' in progress and "3行存在3处错误" in progress


def test_io_page_names_industries_and_the_test_kind_in_english(world):
    """Needs locale/pending/choices.tsv in the catalogue (行业目录 → Industries, 消防栓 → Hydrants)."""
    client = Client()
    client.force_login(world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("io:index")).content.decode()
    assert "<td>Industries</td>" in english and "<td>Hydrants</td>" in english
    assert "<td>消防栓</td>" not in english


def names_in(rows) -> list[str]:
    column = rows[0].index("企业名称")
    return [row[column] for row in rows[1:]]


def test_ledger_export_keeps_the_order_on_screen(client, world):
    client.force_login(world.township_officer)
    query = {"format": "xlsx", "township_id": world.township_a.pk, "ordering": "-name"}
    response = client.get(reverse("io:export", args=["enterprises"]), query)
    expected = list(Enterprise.objects.filter(township=world.township_a, archived_at__isnull=True)
                    .order_by("-name", "id").values_list("name", flat=True))
    assert names_in(ledger_rows(b"".join(response.streaming_content))) == expected
    page = client.get(reverse("registry:list", args=["enterprises"]), {"ordering": "-name"})
    assert [obj.name for obj in page.context["page"]] == expected[:25]


def test_background_and_geojson_exports_keep_the_order(client, world):
    client.force_login(world.admin)
    expected = list(Enterprise.objects.filter(township=world.township_b, archived_at__isnull=True)
                    .order_by("uscc").values_list("name", flat=True))
    client.get(reverse("io:export", args=["enterprises"]),
               {"format": "xlsx", "background": "1", "township_id": world.township_b.pk, "ordering": "uscc"})
    job = DataJob.objects.get()
    assert job.options["ordering"] == "uscc"
    run_export_job.call(job.pk)
    download = client.get(reverse("io:download", args=[job.pk]))
    assert names_in(ledger_rows(b"".join(download.streaming_content))) == expected
    geo = client.get(reverse("io:export", args=["enterprises"]),
                     {"format": "geojson", "township_id": world.township_b.pk, "ordering": "uscc"})
    features = json.loads(b"".join(geo.streaming_content))["features"]
    assert [f["properties"]["name"] for f in features] == expected
