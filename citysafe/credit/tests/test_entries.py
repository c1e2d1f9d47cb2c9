"""The serious-untrustworthiness list through the API: proposal, approval by someone else,
notice, publication with joint-punishment notices, repair, expiry; scope; refusals that name
the rule and change nothing."""
from datetime import timedelta

import pytest
from django.utils import timezone

from citysafe.credit.models import Criterion, ListEntry
from citysafe.credit.services.entries import expire_entries
from citysafe.notifications.models import Notification
from tests.api.conftest import Api


@pytest.fixture
def quick_criterion(world):
    """A criterion without waiting periods, so one test walks the whole list."""
    return Criterion.objects.create(code="T01", name="测试情形", basis="安全生产法第七十八条", objection_days=0,
                                    repair_after_months=0, joint_departments="scjgj")


def _shared_enterprise(world):
    """An enterprise in township A of an industry the department supervises: both see it."""
    from citysafe.registry.models import Enterprise

    return Enterprise.objects.filter(township=world.township_a,
                                     industry__in=world.department.organisation.industries.all()).order_by("pk").first()


def _propose(officer, enterprise, criterion):
    made = Api(officer).post("credit-entries", {"enterprise_id": enterprise.pk, "criterion_id": criterion.pk,
                                                "basis_text": "瞒报事故，经调查认定", "basis_reference": "临应急罚〔2026〕9号"})
    assert made.status_code == 201, made.content
    return made.json()


def _step(user, entry_id, name, **extra):
    entry = ListEntry.objects.get(pk=entry_id)
    return Api(user).post(f"credit/entries/{entry_id}/transitions", {"name": name, "version": entry.version, **extra})


def test_an_entry_goes_from_proposal_to_publication_to_repair(world, quick_criterion):
    enterprise = _shared_enterprise(world)
    made = _propose(world.township_officer, enterprise, quick_criterion)
    assert made["status"] == "proposed" and made["code"].startswith("SXMD-")
    assert _step(world.admin, made["id"], "approve").json()["status"] == "approved"
    assert _step(world.township_officer, made["id"], "notify").json()["status"] == "notified"
    before = Notification.objects.count()
    published = _step(world.department, made["id"], "publish").json()
    today = timezone.localdate()
    assert published["status"] == "published" and published["published_on"] == str(today)
    assert published["expires_on"] == str(today.replace(year=today.year + 3))
    told = Notification.objects.filter(pk__gt=0).order_by("-pk")[: Notification.objects.count() - before]
    assert told and all(n.kind == "credit_publish" for n in told)
    assert {n.recipient.organisation.code for n in told} >= {"scjgj"}  # the criterion's department
    public = Api().get("credit/public-list").json()
    assert made["code"] in {row["code"] for row in public}
    officer = type(world.admin).objects.filter(enterprise=enterprise, role="enterprise").first()
    applicant = officer or world.admin
    assert _step(applicant, made["id"], "apply_repair", reason="已整改并缴清罚款").json()["status"] == "repair_applied"
    assert _step(world.admin, made["id"], "approve_repair").json()["status"] == "removed"
    assert made["code"] not in {row["code"] for row in Api().get("credit/public-list").json()}


def test_the_proposer_cannot_approve_their_own_proposal(world, quick_criterion):
    made = _propose(world.department, _shared_enterprise(world), quick_criterion)
    answer = _step(world.department, made["id"], "approve")
    assert answer.status_code == 422
    assert "提出人以外" in answer.json()["detail"][0]["msg"]
    entry = ListEntry.objects.get(pk=made["id"])
    assert entry.status == "proposed" and entry.version == 1


def test_publication_before_the_objection_period_is_refused_naming_the_rule(world):
    criterion = Criterion.objects.get(code="SX03")  # the seeded 5 days
    made = _propose(world.township_officer, world.enterprise_in_a, criterion)
    _step(world.admin, made["id"], "approve")
    _step(world.admin, made["id"], "notify")
    answer = _step(world.admin, made["id"], "publish")
    assert answer.status_code == 422
    assert "陈述申辩期" in answer.json()["detail"][0]["msg"] and "5日" in answer.json()["detail"][0]["msg"]
    entry = ListEntry.objects.get(pk=made["id"])
    assert entry.status == "notified" and entry.published_on is None


def test_repair_before_the_minimum_publication_period_is_refused_naming_the_rule(world):
    criterion = Criterion.objects.get(code="SX03")
    made = _propose(world.township_officer, world.enterprise_in_a, criterion)
    _step(world.admin, made["id"], "approve")
    _step(world.admin, made["id"], "notify")
    ListEntry.objects.filter(pk=made["id"]).update(notified_on=timezone.localdate() - timedelta(days=6))
    assert _step(world.admin, made["id"], "publish").status_code == 200
    answer = _step(world.admin, made["id"], "apply_repair", reason="已整改")
    assert answer.status_code == 422
    assert "公布满12个月" in answer.json()["detail"][0]["msg"]
    entry = ListEntry.objects.get(pk=made["id"])
    assert entry.status == "published" and entry.repair_applied_on is None and entry.repair_reason == ""


def test_an_entry_past_its_publication_period_expires_by_the_daily_job(world, quick_criterion):
    made = _propose(world.township_officer, world.enterprise_in_a, quick_criterion)
    for step in ("approve", "notify", "publish"):
        _step(world.admin, made["id"], step)
    ListEntry.objects.filter(pk=made["id"]).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert expire_entries() >= 1
    entry = ListEntry.objects.get(pk=made["id"])
    assert entry.status == "expired" and entry.removed_on == timezone.localdate()


def test_a_township_cannot_see_or_step_another_townships_entry(world, quick_criterion):
    made = _propose(world.township_officer, world.enterprise_in_a, quick_criterion)
    other = Api(world.other_township_officer)
    assert other.get(f"credit-entries/{made['id']}").status_code == 404
    assert _step(world.other_township_officer, made["id"], "notify").status_code == 404


def test_an_enterprise_cannot_propose_or_approve(world, quick_criterion):
    officer = Api(world.enterprise_officer)
    answer = officer.post("credit-entries", {"enterprise_id": world.enterprise.pk, "criterion_id": quick_criterion.pk,
                                             "basis_text": "x"})
    assert answer.status_code == 403


def test_the_public_page_needs_no_sign_in_and_masks_the_responsible_person(client, world):
    entry = ListEntry.objects.filter(status="published").select_related("enterprise").first()
    assert entry is not None
    page = client.get("/credit/public/").content.decode()
    assert entry.code in page and entry.enterprise.name in page
    if len(entry.responsible_person) > 1:
        assert entry.responsible_person not in page
        assert entry.responsible_person[0] + "*" in page
