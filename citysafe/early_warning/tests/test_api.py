"""The warning API: create with the registry's error rules, workflow steps, versions, CAP out and in."""
from datetime import timedelta
from pathlib import Path

from django.test import Client
from django.utils import timezone
from lxml import etree

from citysafe.early_warning.cap.export import schema
from citysafe.early_warning.models import Warning
from tests.api.conftest import Api

SAMPLES = Path(__file__).parent / "cap"


def _body(world, **extra):
    now = timezone.now().replace(microsecond=0)
    return {"warning_type": "rainstorm", "level": 1, "headline": "暴雨红色预警", "description": "强降雨",
            "onset": now.isoformat(), "effective": now.isoformat(), "expires": (now + timedelta(hours=6)).isoformat(),
            "area_kind": "areas", "areas": [world.township_a.pk, world.township_b.pk], **extra}


def _step(api, pk, name, note=""):
    version = api.get(f"warnings/{pk}").json()["version"]
    return api.post(f"warnings/{pk}/transitions", {"name": name, "version": version, "note": note})


def test_api_drafts_reviews_approves_publishes_and_serves_cap(world):
    dept, leader = Api(world.department), Api(world.leader)
    created = dept.post("warnings", _body(world))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["township_ids"] == sorted([world.township_a.pk, world.township_b.pk])
    assert _step(dept, pk, "submit").status_code == 200
    assert _step(dept, pk, "pass_review").status_code == 200
    refused = _step(dept, pk, "approve")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "transition"]
    assert _step(leader, pk, "approve").status_code == 200
    published = _step(leader, pk, "publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    cap = dept.get(f"warnings/{pk}/cap")
    assert cap.status_code == 200 and cap["Content-Type"].startswith("application/cap+xml")
    schema().assertValid(etree.fromstring(cap.content))

    revision = dept.post(f"warnings/{pk}/revisions", {"msg_type": "Cancel"})
    assert revision.status_code == 201 and revision.json()["previous_id"] == pk
    versions = dept.get(f"warnings/{pk}/versions").json()
    assert [v["revision"] for v in versions] == [1, 2]


def test_publishing_without_approval_is_a_422_and_nothing_is_published(world):
    dept = Api(world.department)
    pk = dept.post("warnings", _body(world)).json()["id"]
    answer = _step(dept, pk, "publish")
    assert answer.status_code in (403, 422)
    assert Warning.objects.get(pk=pk).status == "draft"
    assert dept.get(f"warnings/{pk}/cap").status_code == 422


def test_expiry_before_onset_is_a_422_naming_expires(world):
    now = timezone.now()
    answer = Api(world.department).post("warnings", _body(world, onset=(now + timedelta(hours=3)).isoformat(),
                                                           effective=(now + timedelta(hours=3)).isoformat(),
                                                           expires=(now + timedelta(hours=1)).isoformat()))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "expires"]


def test_an_area_outside_the_county_is_a_422_naming_geometry(world):
    far = {"type": "Polygon", "coordinates": [[[116.0, 39.0], [116.1, 39.0], [116.1, 39.1], [116.0, 39.0]]]}
    answer = Api(world.department).post("warnings", _body(world, area_kind="polygon", geometry=far, areas=[]))
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "geometry"]


def test_township_sees_warnings_over_its_area_only_and_cannot_write(world):
    dept = Api(world.department)
    over_b = dept.post("warnings", _body(world, areas=[world.township_b.pk])).json()["id"]
    assert Api(world.other_township_officer).get(f"warnings/{over_b}").status_code == 200
    assert Api(world.township_officer).get(f"warnings/{over_b}").status_code == 404
    assert Api(world.township_officer).post("warnings", _body(world)).status_code == 403
    assert Api(world.other_department).get(f"warnings/{over_b}").status_code == 404


def test_cap_import_by_raw_body_and_by_upload_makes_drafts(world):
    api = Api(world.department)
    raw = api.client.post("/api/v1/warnings/cap-import", (SAMPLES / "nws_winter_11.xml").read_bytes(),
                          content_type="application/cap+xml")
    assert raw.status_code == 201, raw.content
    assert raw.json()["status"] == "draft" and raw.json()["area_kind"] == "polygon"
    with open(SAMPLES / "cma_rainstorm_12.xml", "rb") as handle:
        upload = api.client.post("/api/v1/warnings/cap-import", {"file": handle})
    assert upload.status_code == 201, upload.content
    hostile = api.client.post("/api/v1/warnings/cap-import", (SAMPLES / "billion_laughs.xml").read_bytes(),
                              content_type="application/xml")
    assert hostile.status_code == 422 and hostile.json()["detail"][0]["loc"] == ["body", "file"]


def test_a_grid_worker_cannot_import_cap(world):
    answer = Api(world.grid_worker).client.post("/api/v1/warnings/cap-import",
                                                (SAMPLES / "nws_winter_11.xml").read_bytes(),
                                                content_type="application/xml")
    assert answer.status_code == 403


def test_anonymous_api_calls_are_401(world):
    assert Client().get("/api/v1/warnings").status_code == 401


def test_delivery_figures_and_subscriptions_through_the_api(world):
    from citysafe.early_warning.delivery import fan_out
    from citysafe.early_warning.models import Subscription

    Subscription.objects.create(channel="sms", address="13900009999", confirmed_at=timezone.now()).areas.set(
        [world.township_a])
    dept, leader = Api(world.department), Api(world.leader)
    pk = dept.post("warnings", _body(world)).json()["id"]
    for name, api in (("submit", dept), ("pass_review", dept), ("approve", leader), ("publish", leader)):
        assert _step(api, pk, name).status_code == 200
    fan_out(pk)
    figures = dept.get(f"warnings/{pk}/deliveries")
    assert figures.status_code == 200 and figures.json()["by_channel"]["sms"]["total"] > 0
    assert Api(world.other_department).get(f"warnings/{pk}/deliveries").status_code == 404
    listed = Api(world.admin).get("subscriptions")
    assert listed.status_code == 200 and "13900009999" in [s["address"] for s in listed.json()]
    assert Api(world.township_officer).get("subscriptions").json() == []
