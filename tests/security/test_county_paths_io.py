"""Issue 19, cross-county paths through the data jobs: the background export of EVERY registered
record kind (the job's file, read as the worker writes it, holds only the requesting user's
county), another county's job and file (404), and imports: a second county workbook can neither
update a first-county row (same natural key) nor point a new row at a first-county township."""
import io

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from citysafe.core.kinds import all_kinds
from citysafe.registry.io import jobs
from citysafe.registry.io.kinds import get_kind as get_io_kind
from citysafe.registry.io.models import DataJob
from citysafe.registry.io.tasks import run_export_job, run_import_job
from citysafe.registry.models import Area, Enterprise
from tests.security.county_paths_world import found_markers, fresh, markers

KINDS = sorted(kind.key for kind in all_kinds() if not kind.model.scope.public)  # directories are shared


def _workbook_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(" ".join(str(cell) for cell in row if cell is not None)
                     for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))


def _export(user, key: str) -> str:
    job = jobs.submit_export(user, key, "xlsx")
    run_export_job.call(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result, (key, job.status, job.error if hasattr(job, "error") else "")
    with job.result.open("rb") as handle:
        return _workbook_text(handle.read())


@pytest.mark.parametrize("who", ["b_admin", "b_department", "b_township"])
def test_the_export_job_of_every_kind_holds_only_the_requesting_users_county(two, who):
    user = fresh(two.b[who.split("_", 1)[1]])
    other = markers(two, of_b=False)
    leaks, exported = {}, 0
    for key in KINDS:
        try:
            text = _export(user, key)
        except ValueError:  # a kind the export job does not offer (the list page's export does)
            continue
        exported += 1
        if hit := found_markers(text, other):
            leaks[key] = hit
    assert leaks == {} and exported >= 4


@pytest.mark.parametrize("key", ["enterprises", "persons", "areas"])
def test_a_first_county_export_job_holds_nothing_of_the_second_county(two, key):
    assert found_markers(_export(fresh(two.a["admin"]), key), markers(two, of_b=True)) == []


def test_a_second_county_user_gets_404_for_a_first_county_job_and_its_file(two):
    job = jobs.submit_export(fresh(two.a["admin"]), "enterprises", "xlsx")
    run_export_job.call(job.pk)
    client = Client()
    client.force_login(fresh(two.b["admin"]))
    for path in (f"/api/v1/data-jobs/{job.pk}", f"/api/v1/data-jobs/{job.pk}/file", f"/io/jobs/{job.pk}/download/"):
        assert client.get(path).status_code == 404, path
    listed = client.get("/api/v1/data-jobs")
    assert listed.status_code == 200 and job.pk not in [row["id"] for row in listed.json()]


def _workbook(kind_name: str, rows: list[dict]) -> bytes:
    kind = get_io_kind(kind_name)
    headers = [c.header for c in kind.import_columns]
    book = Workbook()
    sheet = book.active
    sheet.title = kind.label
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import(user, rows) -> DataJob:
    from django.core.files.uploadedfile import SimpleUploadedFile

    job = jobs.submit_import(user, "enterprises", SimpleUploadedFile("企业.xlsx", _workbook("enterprises", rows)))
    run_import_job.call(job.pk)
    job.refresh_from_db()
    return job


def test_a_second_county_import_cannot_update_a_first_county_enterprise_by_its_credit_code(two):
    enterprise_a = Enterprise.objects.filter(pk__lte=two.before["registry.Enterprise"],
                                             archived_at__isnull=True).order_by("pk").first()
    township_b = Area.objects.filter(level="township", pk__gt=two.before["registry.Area"]).order_by("pk").first()
    job = _import(fresh(two.b["admin"]), [{
        "统一社会信用代码": enterprise_a.uscc, "企业名称": "被外县改名的企业", "行业代码": enterprise_a.industry.code,
        "经度": (township_b.min_lon + township_b.max_lon) / 2, "纬度": (township_b.min_lat + township_b.max_lat) / 2,
        "所属乡镇代码": township_b.code}])
    enterprise_a.refresh_from_db()
    assert job.status == "failed" and enterprise_a.name != "被外县改名的企业"
    assert enterprise_a.township.county_id != township_b.county_id


def test_a_second_county_import_cannot_place_a_new_enterprise_in_a_first_county_township(two):
    from citysafe.registry.demo.second_county import _uscc

    township_a = Area.objects.filter(level="township", pk__lte=two.before["registry.Area"]).order_by("pk").first()
    township_b = Area.objects.filter(level="township", pk__gt=two.before["registry.Area"]).order_by("pk").first()
    industry = Enterprise.objects.filter(pk__gt=two.before["registry.Enterprise"]).first().industry
    row = {"统一社会信用代码": _uscc(987), "企业名称": "越界新建企业", "行业代码": industry.code,
           "经度": (township_b.min_lon + township_b.max_lon) / 2, "纬度": (township_b.min_lat + township_b.max_lat) / 2}
    job = _import(fresh(two.b["admin"]), [{**row, "所属乡镇代码": township_a.code}])
    assert job.status == "failed"
    assert not Enterprise.objects.filter(name="越界新建企业").exists()
    # The same row naming its own county's township has fewer errors: the township was refused.
    own = _import(fresh(two.b["admin"]), [{**row, "所属乡镇代码": township_b.code}])
    assert own.error_count < job.error_count, (own.error_count, job.error_count)
