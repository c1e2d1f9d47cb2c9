"""Checklist templates and inspection tasks through the API and the admin, scoped like the pages."""
import datetime

import pytest
from django.test import Client
from django.utils import timezone

from citysafe.hazards.inspection_models import ChecklistTemplate, InspectionTask
from citysafe.registry.models import Place

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _due():
    return (timezone.localdate() + datetime.timedelta(days=5)).isoformat()


def _template():
    return ChecklistTemplate.objects.get(name="通用安全检查表")


def test_township_cannot_create_a_task_for_another_townships_enterprise(hw):
    w = hw.world
    elsewhere = Place.objects.filter(owner_enterprise=w.enterprise_in_b, archived_at__isnull=True).first() \
        or Place.objects.filter(township=w.township_b, archived_at__isnull=True).first()
    before = InspectionTask.objects.count()
    answer = _client(w.township_officer).post("/api/v1/inspections/tasks", {
        "template_id": _template().pk, "place_id": elsewhere.pk, "assignee_id": w.grid_worker.pk, "due_on": _due()},
        content_type="application/json")
    assert answer.status_code == 422, answer.content
    assert answer.json()["detail"][0]["loc"][-1] == "place_id"
    assert InspectionTask.objects.count() == before


def test_township_assigns_a_task_in_its_own_township_and_only_its_scope_lists_it(hw):
    w = hw.world
    answer = _client(w.township_officer).post("/api/v1/inspections/tasks", {
        "template_id": _template().pk, "place_id": hw.place.pk, "assignee_id": w.grid_worker.pk, "due_on": _due()},
        content_type="application/json")
    assert answer.status_code == 201, answer.content
    task_id = answer.json()["id"]
    assert task_id in [t["id"] for t in _client(w.grid_worker).get("/api/v1/inspections/tasks").json()]
    assert task_id not in [t["id"] for t in _client(w.other_township_officer).get("/api/v1/inspections/tasks").json()]
    assert _client(w.other_township_officer).get(f"/api/v1/inspections/tasks/{task_id}").status_code == 404


def test_grid_worker_and_enterprise_cannot_assign_tasks(hw):
    w = hw.world
    for user in (w.grid_worker, w.enterprise_officer):
        answer = _client(user).post("/api/v1/inspections/tasks", {
            "template_id": _template().pk, "place_id": hw.place.pk, "assignee_id": w.grid_worker.pk,
            "due_on": _due()}, content_type="application/json")
        assert answer.status_code == 403, (user.role, answer.content)


def test_county_office_edits_checklists_and_a_township_cannot(hw):
    w = hw.world
    body = {"name": "加油站检查表", "place_type": "gas_station",
            "items": [{"text": "卸油作业有专人监护", "basis": "安全生产法 第四十三条", "category": "chemicals"}]}
    created = _client(w.admin).post("/api/v1/inspections/templates", body, content_type="application/json")
    assert created.status_code == 201, created.content
    template = created.json()
    changed = _client(w.admin).patch(f"/api/v1/inspections/templates/{template['id']}",
                                     {"name": "加油站安全检查表", "expected_version": template["version"]},
                                     content_type="application/json")
    assert changed.status_code == 200 and changed.json()["name"] == "加油站安全检查表"
    stale = _client(w.admin).patch(f"/api/v1/inspections/templates/{template['id']}",
                                   {"name": "旧版本", "expected_version": template["version"]},
                                   content_type="application/json")
    assert stale.status_code == 409
    refused = _client(w.township_officer).post("/api/v1/inspections/templates", body, content_type="application/json")
    assert refused.status_code == 403
    everyone = _client(w.grid_worker).get("/api/v1/inspections/templates").json()
    assert template["id"] in [t["id"] for t in everyone]


def test_a_checklist_item_without_its_legal_basis_is_refused_naming_the_field(hw):
    answer = _client(hw.world.admin).post("/api/v1/inspections/templates", {
        "name": "无依据", "items": [{"text": "检查项", "basis": ""}]}, content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == "items"


def test_a_filled_checklist_sent_through_the_api_turns_failed_items_into_hazards(hw):
    w = hw.world
    template = _template()
    results = [{"ok": n != 0, "note": "灭火器过期" if n == 0 else ""} for n in range(len(template.items))]
    answer = _client(w.grid_worker).post("/api/v1/inspections", {
        "template_id": template.pk, "place_id": hw.place.pk, "results": results, "client_key": "api-1"},
        content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["failed"] == 1 and len(answer.json()["hazard_ids"]) == 1


def test_the_admin_lists_and_adds_checklists_through_the_service(hw):
    client = _client(hw.world.admin)
    assert client.get("/admin/hazards/checklisttemplate/").status_code == 200
    assert client.get("/admin/hazards/inspectiontask/").status_code == 200
    assert client.get("/admin/hazards/inspectiontask/add/").status_code == 200
