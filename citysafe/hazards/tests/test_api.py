"""The loop through the API: the registry's status codes and one error shape."""
import datetime

import pytest
from django.utils import timezone

from citysafe.hazards.models import Hazard, Status
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def _move(api, hazard_id, transition, version, **extra):
    return api.post(f"/api/v1/hazards/{hazard_id}/transitions",
                    {"transition": transition, "expected_version": version, **extra})


def test_create_and_walk_a_hazard_through_the_api_with_clear_errors(hw):
    w = hw.world
    township, grid = Api(w.township_officer), Api(w.grid_worker)
    created = grid.post("/api/v1/hazards", {"category": "fire", "description": "楼道堵塞", "place_id": hw.place.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "registered" and body["township_id"] == hw.place.township_id
    refused = _move(grid, body["id"], "grade", body["version"], payload={"grade": "general", "reason": "x"})
    assert refused.status_code == 403 and refused.json()["detail"][0]["type"] == "forbidden"
    wrong_state = _move(township, body["id"], "start", body["version"])
    assert wrong_state.status_code == 422
    graded = _move(township, body["id"], "grade", body["version"], payload={"grade": "general", "reason": "易改"})
    assert graded.status_code == 200 and graded.json()["status"] == "graded"
    stale = _move(township, body["id"], "reject", body["version"], note="重复")
    assert stale.status_code == 409 and stale.json()["detail"][0]["type"] == "conflict"
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    bad = _move(township, body["id"], "issue_notice", graded.json()["version"],
                payload={"responsible_unit": "甲", "responsible_person": "乙", "measures": "丙", "deadline": past})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "payload.deadline"
    assert Hazard.objects.get(pk=body["id"]).status == Status.GRADED
    outsider = _move(Api(w.other_township_officer), body["id"], "reject", graded.json()["version"], note="x")
    assert outsider.status_code == 404


def test_an_unknown_transition_is_a_422(hw):
    hazard = hw.hazard()
    answer = _move(Api(hw.world.township_officer), hazard.pk, "close_now", hazard.version)
    assert answer.status_code == 422


def test_fixed_on_spot_through_the_api_takes_before_and_after_photos(hw):
    import io

    from django.test import Client
    from PIL import Image

    def png(name):
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
        buffer.seek(0)
        buffer.name = name
        return buffer

    client = Client()
    client.force_login(hw.world.grid_worker)
    answer = client.post("/api/v1/hazards/fixed-on-spot", {
        "category": "fire", "description": "灭火器压力不足，已当场更换", "place_id": str(hw.place.pk),
        "before": [png("before.png")], "after": [png("after.png")]})
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "closed" and answer.json()["fixed_on_spot"] is True
    missing = client.post("/api/v1/hazards/fixed-on-spot", {
        "category": "fire", "description": "x", "place_id": str(hw.place.pk), "before": [png("b.png")]})
    assert missing.status_code == 422


def test_listing_and_delisting_through_the_api(hw):
    import datetime

    from django.utils import timezone

    from citysafe.hazards.tests.conftest import step

    w = hw.world
    hazard = hw.hazard()
    step(w.township_officer, hazard, "grade", grade="major", reason="需停产")
    hazard.refresh_from_db()
    api = Api(w.township_officer)
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    listed = api.post(f"/api/v1/hazards/{hazard.pk}/listing",
                      {"expected_version": hazard.version, "authority": "县安委办", "deadline": deadline})
    assert listed.status_code == 200 and listed.json()["is_listed"] is True
    refused = api.post(f"/api/v1/hazards/{hazard.pk}/delisting", {"expected_version": listed.json()["version"]})
    assert refused.status_code == 422 and "复查" in refused.json()["detail"][0]["msg"]
