"""Large gatherings: an application graded against its venue, licensed by the public security
organ it names (another department does not even see it: 404), refused when the venue cannot
hold the crowd; bad input named; a licensed gathering taking place shows on the risk map."""
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from citysafe.core.attachments import attach_file
from citysafe.registry.models import Place
from citysafe.risks.gatherings.demo import PDF, ensure_authority
from citysafe.risks.models import Gathering
from tests.api.conftest import Api
from tests.riskmap.helpers import ids, layer

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(world):
    return ensure_authority()[1]


def venue_in(township) -> Place:
    return Place.objects.filter(township=township, capacity__gte=1000, archived_at__isnull=True, lon__isnull=False,
                                place_type__in=["school", "market"]).order_by("-capacity", "id").first()


def application(world, venue, attendance, **extra):
    start = timezone.now() + timedelta(days=25)
    data = {"name": "乡村文化节", "kind": "performance", "organiser_id": world.enterprise_in_a.pk,
            "venue_id": venue.pk, "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=5)).isoformat(),
            "expected_attendance": attendance, "exits": 4, "exit_width_m": 60.0, **extra}
    return Api(world.township_officer).post("gatherings", data)


def with_plans(world, body) -> dict:
    files = [attach_file(world.township_officer, "risks.gathering", body["id"], ContentFile(PDF, name=f"{n}.pdf"))
             for n in ("方案", "预案")]
    patched = Api(world.township_officer).patch(f"gatherings/{body['id']}", {
        "version": body["version"], "security_plan_id": files[0].pk, "emergency_plan_id": files[1].pk})
    assert patched.status_code == 200, patched.content
    return patched.json()


def test_attendance_over_the_venues_capacity_is_major_and_cannot_be_licensed(world, police):
    venue = venue_in(world.township_a)
    created = application(world, venue, max(1000, venue.capacity + 1))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["level"] == 1 and "over_capacity" in {r["code"] for r in body["risk_reasons"]}
    body = with_plans(world, body)
    submitted = Api(world.township_officer).post(f"gatherings/{body['id']}/transitions",
                                                 {"transition": "submit", "expected_version": body["version"]})
    assert submitted.status_code == 200, submitted.content
    refused = Api(police).post(f"gatherings/{body['id']}/transitions",
                               {"transition": "approve", "expected_version": submitted.json()["version"]})
    assert refused.status_code == 422 and "容量" in refused.json()["detail"][0]["msg"]
    assert Gathering.objects.get(pk=body["id"]).status == "submitted"


def test_public_security_licenses_and_the_gathering_shows_on_the_map_while_it_takes_place(world, police):
    venue = venue_in(world.township_a)
    body = with_plans(world, application(world, venue, 1000).json())
    assert body["level"] in (3, 4) and body["authority_id"] == police.organisation_id
    officer, psb = Api(world.township_officer), Api(police)
    submitted = officer.post(f"gatherings/{body['id']}/transitions",
                             {"transition": "submit", "expected_version": body["version"]}).json()
    # Another department (应急管理局) does not see the application at all.
    wrong = Api(world.department).post(f"gatherings/{body['id']}/transitions",
                                       {"transition": "approve", "expected_version": submitted["version"]})
    assert wrong.status_code == 404
    assert Api(world.leader).post(f"gatherings/{body['id']}/transitions",
                                  {"transition": "approve", "expected_version": submitted["version"]}).status_code == 403
    approved = psb.post(f"gatherings/{body['id']}/transitions",
                        {"transition": "approve", "expected_version": submitted["version"], "note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert body["id"] not in ids(layer(world.township_officer, "gatherings")[1])  # not yet taking place
    # The day comes (moving the clock is not possible here; the dates are moved instead).
    Gathering.objects.filter(pk=body["id"]).update(starts_at=timezone.now() - timedelta(hours=1),
                                                   ends_at=timezone.now() + timedelta(hours=3))
    shown = {f["id"]: f for f in layer(world.township_officer, "gatherings")[1]["features"]}
    assert shown[body["id"]]["properties"]["level"] == body["level"]
    assert body["id"] not in ids(layer(world.other_township_officer, "gatherings")[1])


def test_submission_needs_both_plans_and_twenty_days(world, police):
    venue = venue_in(world.township_a)
    body = application(world, venue, 1200).json()
    refused = Api(world.township_officer).post(f"gatherings/{body['id']}/transitions",
                                               {"transition": "submit", "expected_version": body["version"]})
    assert refused.status_code == 422 and "安全工作方案" in refused.json()["detail"][0]["msg"]
    soon = timezone.now() + timedelta(days=5)
    late = with_plans(world, application(world, venue, 1200, starts_at=soon.isoformat(),
                                         ends_at=(soon + timedelta(hours=2)).isoformat()).json())
    refused = Api(world.township_officer).post(f"gatherings/{late['id']}/transitions",
                                               {"transition": "submit", "expected_version": late["version"]})
    assert refused.status_code == 422 and "20日前" in refused.json()["detail"][0]["msg"]


def test_bad_input_is_named_and_nothing_is_stored(world, police):
    venue = venue_in(world.township_a)
    before = Gathering.objects.count()
    small = application(world, venue, 999)
    assert small.status_code == 422 and small.json()["detail"][0]["loc"][-1] == "expected_attendance"
    backwards = application(world, venue, 1500, ends_at=(timezone.now() + timedelta(days=24)).isoformat())
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["loc"][-1] == "ends_at"
    elsewhere = application(world, venue_in(world.township_b), 1500)
    assert elsewhere.status_code == 422 and elsewhere.json()["detail"][0]["loc"][-1] == "venue_id"
    stranger = application(world, venue, 1500, security_plan_id=1)
    assert stranger.status_code == 422
    assert Gathering.objects.count() == before
