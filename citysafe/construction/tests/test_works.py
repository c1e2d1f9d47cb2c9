"""High-danger works (危大工程): a work over the scale that needs an expert review does not start
without a passed review; the special plan is attached first."""
from django.core.files.uploadedfile import SimpleUploadedFile

from citysafe.construction.kinds import WORKS
from citysafe.construction.models import HighDangerWork
from citysafe.core.attachments import store_attachment
from tests.api.conftest import Api


def _work(world, site, category="excavation", scale=6.5, plan=True):
    work = WORKS.create(world.admin, {"project_id": site.project.pk, "code": f"T-W-{HighDangerWork.objects.count()}",
                                      "name": "测试基坑", "category": category, "scale_value": scale})
    if plan:
        store_attachment(world.admin, SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
                         owner=work)
    return work


def step(api, work, transition, version, **extra):
    return api.post(f"high-danger-works/{work.pk}/transitions",
                    {"transition": transition, "expected_version": version, **extra})


def test_a_deep_excavation_cannot_start_without_an_expert_review(world, site):
    work = _work(world, site, scale=6.5)  # 5 m and deeper: expert review (建办质〔2018〕31号)
    answer = step(Api(world.township_officer), work, "start", work.version)
    assert answer.status_code == 422
    assert "须经专家论证通过后方可实施" in answer.json()["detail"][0]["msg"]
    work.refresh_from_db()
    assert (work.status, work.version) == ("plan", 1)


def test_a_reviewed_deep_excavation_starts_and_is_accepted(world, site):
    work, township = _work(world, site), Api(world.township_officer)
    reviewed = step(township, work, "review", work.version, changes={
        "review_on": "2026-11-20", "review_experts": "王工、李工、赵工、钱工、孙工", "review_conclusion": "pass"})
    assert reviewed.status_code == 200, reviewed.content
    started = step(township, work, "start", reviewed.json()["version"])
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    accepted = step(township, work, "accept", started.json()["version"], note="验收合格")
    assert accepted.json()["status"] == "accepted"


def test_a_failed_review_does_not_count_as_reviewed(world, site):
    work = _work(world, site)
    answer = step(Api(world.township_officer), work, "review", work.version, changes={
        "review_on": "2026-11-20", "review_experts": "王工", "review_conclusion": "fail"})
    assert answer.status_code == 422 and "重新组织专家论证" in answer.json()["detail"][0]["msg"]


def test_a_small_work_starts_without_review_but_not_without_its_special_plan(world, site):
    township = Api(world.township_officer)
    no_plan = _work(world, site, category="scaffolding", scale=24, plan=False)
    answer = step(township, no_plan, "start", no_plan.version)
    assert answer.status_code == 422 and "专项施工方案" in answer.json()["detail"][0]["msg"]
    small = _work(world, site, category="scaffolding", scale=24)
    assert step(township, small, "start", small.version).json()["status"] == "in_progress"


def test_an_administrator_lowers_a_threshold_and_the_work_then_needs_a_review(world, site):
    from citysafe.construction.models import ScaleThreshold
    from citysafe.construction.services.standards import save_standard
    from citysafe.construction.workflows import needs_expert_review
    from citysafe.core.audit_models import AuditRecord

    work = _work(world, site, category="scaffolding", scale=40)
    assert needs_expert_review(work) is False
    row = ScaleThreshold.objects.get(category="scaffolding")
    save_standard(world.admin, ScaleThreshold, row.pk, {"value": 40})
    assert needs_expert_review(work) is True
    assert AuditRecord.objects.filter(object_type="construction.ScaleThreshold", object_id=str(row.pk)).exists()


def test_the_special_plan_is_uploaded_on_the_works_page_and_the_work_then_starts(client, world, site):
    from django.urls import reverse

    work = _work(world, site, category="scaffolding", scale=24, plan=False)
    client.force_login(world.township_officer)
    upload = SimpleUploadedFile("专项方案.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    answer = client.post(reverse("construction:work_attachment", args=[work.pk]), {"file": upload})
    assert answer.status_code == 302
    page = client.get(reverse("construction:detail", args=["high-danger-works", work.pk]))
    assert "专项方案.pdf" in page.text
    started = client.post(reverse("construction:work_step", args=[work.pk]),
                          {"transition": "start", "version": HighDangerWork.objects.get(pk=work.pk).version})
    assert started.status_code == 302
    assert HighDangerWork.objects.get(pk=work.pk).status == "in_progress"
