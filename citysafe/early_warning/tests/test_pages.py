"""Staff pages: draft through the record form (map picker), workflow buttons, dashboard, CAP upload."""
from datetime import timedelta
from pathlib import Path

from django.test import Client
from django.utils import timezone

from citysafe.early_warning.models import Warning


def _login(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_department_drafts_a_warning_on_the_form_and_the_leader_approves_on_the_page(world):
    dept = _login(world.department)
    form = dept.get("/early-warning/warnings/new/")
    assert form.status_code == 200 and "map-picker" in form.text
    now = timezone.localtime().replace(second=0, microsecond=0)
    fmt = "%Y-%m-%dT%H:%M"
    saved = dept.post("/early-warning/warnings/new/", {
        "warning_type": "rainstorm", "level": "1", "headline": "页面暴雨预警", "description": "强降雨",
        "onset": now.strftime(fmt), "effective": now.strftime(fmt), "expires": (now + timedelta(hours=6)).strftime(fmt),
        "area_kind": "areas", "areas": [world.township_a.pk], "coordinate_system": "wgs84"})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    warning = Warning.objects.get(headline="页面暴雨预警")
    for actor, step in ((world.department, "submit"), (world.department, "pass_review"),
                        (world.leader, "approve"), (world.leader, "publish")):
        client = _login(actor)
        page = client.get(f"/early-warning/warnings/{warning.pk}/")
        assert f'data-step="{step}"' in page.text
        warning.refresh_from_db()
        client.post(f"/early-warning/warnings/{warning.pk}/step/", {"version": warning.version, "transition": step})
    warning.refresh_from_db()
    assert warning.status == "published"
    page = _login(world.department).get(f"/early-warning/warnings/{warning.pk}/")
    assert 'id="delivery-by-channel"' in page.text and warning.identifier in page.text


def test_expiry_before_onset_on_the_form_is_shown_on_the_expires_field(world):
    dept = _login(world.department)
    now = timezone.localtime().replace(second=0, microsecond=0)
    fmt = "%Y-%m-%dT%H:%M"
    answer = dept.post("/early-warning/warnings/new/", {
        "warning_type": "gale", "level": "4", "headline": "大风", "description": "大风",
        "onset": now.strftime(fmt), "effective": now.strftime(fmt), "expires": (now - timedelta(hours=1)).strftime(fmt),
        "area_kind": "areas", "areas": [world.township_a.pk], "coordinate_system": "wgs84"})
    assert answer.status_code in (200, 422)
    assert "expires" in answer.context["form"].errors


def test_cap_upload_page_imports_a_draft_and_refuses_hostile_xml(world):
    dept = _login(world.department)
    samples = Path(__file__).parent / "cap"
    with open(samples / "cma_rainstorm_12.xml", "rb") as handle:
        assert dept.post("/early-warning/cap-upload/", {"file": handle}).status_code == 302
    with open(samples / "external_entity.xml", "rb") as handle:
        refused = dept.post("/early-warning/cap-upload/", {"file": handle})
    assert refused.status_code == 422 and "DOCTYPE" in refused.text
    assert _login(world.grid_worker).get("/early-warning/cap-upload/").status_code == 403
