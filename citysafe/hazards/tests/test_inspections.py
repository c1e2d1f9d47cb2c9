"""Inspections: templates cite their legal basis; every failed item creates a pre-filled hazard;
an offline form sent twice is stored once; coverage per grid and month."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from citysafe.hazards.inspection_models import ChecklistTemplate, Inspection, InspectionTask
from citysafe.hazards.models import Hazard
from citysafe.hazards.services.inspections import assign_task, coverage, submit_inspection

pytestmark = pytest.mark.django_db


def _task(hw):
    template = ChecklistTemplate.objects.get(name="通用安全检查表")
    return assign_task(hw.world.township_officer, template_id=template.pk, place_id=hw.place.pk,
                       assignee_id=hw.world.grid_worker.pk, due_on=timezone.localdate() + datetime.timedelta(days=3))


def test_seeded_templates_cite_an_article_for_every_item():
    for template in ChecklistTemplate.objects.all():
        assert template.items
        assert all(" 第" in item["basis"] and item["basis"].endswith("条") for item in template.items)


def test_every_failed_item_creates_a_prefilled_hazard_and_a_resend_is_stored_once(hw):
    task = _task(hw)
    items = task.template.items
    results = [{"ok": n != 1, "note": "通道堆放纸箱" if n == 1 else ""} for n in range(len(items))]
    inspection, hazards = submit_inspection(hw.world.grid_worker, template_id=task.template_id, place_id=hw.place.pk,
                                            task_id=task.pk, results=results, client_key="k-1")
    assert inspection.failed == 1 and len(hazards) == 1
    hazard = hazards[0]
    assert hazard.source == "patrol" and hazard.place_id == hw.place.pk
    assert items[1]["text"] in hazard.description and items[1]["basis"] in hazard.description
    again, more = submit_inspection(hw.world.grid_worker, template_id=task.template_id, place_id=hw.place.pk,
                                    results=results, client_key="k-1")
    assert again.pk == inspection.pk and more == []
    assert InspectionTask.objects.get(pk=task.pk).status == "done"
    assert any(row["grid_id"] == hw.place.grid_id and row["inspected"] >= 1 for row in coverage(hw.world.grid_worker))


def test_an_incomplete_checklist_is_refused_and_nothing_is_stored(hw):
    task = _task(hw)
    before = (Inspection.objects.count(), Hazard.objects.count())
    with pytest.raises(ValidationError) as caught:
        submit_inspection(hw.world.grid_worker, template_id=task.template_id, place_id=hw.place.pk, results=[])
    assert "results" in caught.value.message_dict
    assert (Inspection.objects.count(), Hazard.objects.count()) == before


def test_phone_form_is_a_compact_list_with_camera_upload_and_no_inline_script(hw):
    task = _task(hw)
    client = Client()
    client.force_login(hw.world.grid_worker)
    page = client.get(f"/hazards/inspections/{task.pk}/").content.decode()
    assert 'accept="image/*" capture="environment"' in page and "inspection-offline.js" in page
    assert "<script>" not in page
    data = {f"item-{n}": "ok" for n in range(len(task.template.items))}
    data["client_key"] = "phone-1"
    assert client.post(f"/hazards/inspections/{task.pk}/", data).status_code == 302
    assert Inspection.objects.filter(client_key="phone-1").exists()
