"""Import and export jobs through the API: what the /io/ pages do, for another system."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from citysafe.accounts.services import create_api_token
from citysafe.core.audit_models import AuditRecord
from citysafe.registry.io.tasks import run_export_job, run_import_job
from citysafe.registry.models import Enterprise
from tests.api.conftest import Api
from tests.data_io.conftest import ledger_rows, workbook_with_rows


def _token(world, user):
    _, raw = create_api_token(world.admin, name="接入测试", role=user.role, organisation_id=user.organisation_id,
                              grid_ids=[], enterprise_id=user.enterprise_id)
    return raw


def _upload(token, resource, name, data):
    return Client().post("/api/v1/data-jobs/imports", {"resource": resource, "file": SimpleUploadedFile(name, data)},
                         headers={"Authorization": f"Bearer {token}"})


def test_a_township_system_exports_its_enterprises_polls_the_job_and_fetches_the_workbook(world):
    api = Api(token=_token(world, world.township_officer))
    started = api.post("data-jobs/exports", {"resource": "enterprises", "format": "xlsx"})
    assert started.status_code == 202, started.content
    job = started.json()
    assert job["status"] == "queued" and job["direction"] == "export"
    run_export_job.call(job["id"])  # what the worker does
    polled = api.get(f"data-jobs/{job['id']}").json()
    assert polled["status"] == "succeeded" and polled["has_file"]
    download = api.get(f"data-jobs/{job['id']}/file")
    assert download.status_code == 200
    rows = [row for row in ledger_rows(b"".join(download.streaming_content))[1:] if any(row)]
    expected = Enterprise.objects.filter(township=world.township_a, archived_at__isnull=True).count()
    assert len(rows) == expected > 0
    assert AuditRecord.objects.filter(action="submit_export", object_id=str(job["id"])).exists()
    # another system's token does not see the job or its file
    other = Api(token=_token(world, world.other_township_officer))
    assert other.get(f"data-jobs/{job['id']}").status_code == 404
    assert other.get(f"data-jobs/{job['id']}/file").status_code == 404


def test_an_imported_workbook_with_errors_imports_nothing_and_its_error_report_is_the_jobs_file(world):
    token = _token(world, world.township_officer)
    before = Enterprise.objects.count()
    data = workbook_with_rows("enterprises", [{"企业名称": "接口导入企业", "统一社会信用代码": "不是代码"}])
    answer = _upload(token, "enterprises", "企业.xlsx", data)
    assert answer.status_code == 202, answer.content
    run_import_job.call(answer.json()["id"])
    job = Api(token=token).get(f"data-jobs/{answer.json()['id']}").json()
    assert job["status"] == "failed" and job["error_count"] >= 1 and job["has_file"]
    assert Enterprise.objects.count() == before
    report = Api(token=token).get(f"data-jobs/{job['id']}/file")
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_upload_of_the_wrong_type_or_size_is_refused_naming_the_file(world):
    token = _token(world, world.township_officer)
    wrong = _upload(token, "enterprises", "企业.txt", b"hello")
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "file"]
    with override_settings(IMPORT_MAX_BYTES=1000):
        large = _upload(token, "enterprises", "企业.xlsx", b"x" * 2000)
    assert large.status_code == 422 and large.json()["detail"][0]["type"] == "too_large"
    unknown = _upload(token, "no-such-kind", "a.xlsx", b"x")
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "resource"]


def test_a_role_that_may_not_import_is_refused(world):
    token = _token(world, world.leader)
    answer = _upload(token, "enterprises", "企业.xlsx", workbook_with_rows("enterprises", []))
    assert answer.status_code == 403
