"""Incident command and road closing through /api/v1: the same services, errors in the one shape."""
from citysafe.emergency.models import Incident, Material, RescueTeam, RoadSegment


def test_api_ranks_dispatches_issues_and_closes_an_incident(world, api_as):
    api = api_as(world.township_officer)
    incident = Incident.objects.filter(township=world.township_a).first()
    resources = api.get(f"incidents/{incident.pk}/resources")
    assert resources.status_code == 200, resources.content
    teams = resources.json()["teams"]
    assert teams and [t["seconds"] for t in teams] == sorted(t["seconds"] for t in teams)
    sent = api.post(f"incidents/{incident.pk}/dispatch-team", {"team_id": teams[0]["id"]})
    assert sent.status_code == 201 and sent.json()["kind"] == "team"
    material = Material.objects.filter(stockpile__township=world.township_a).first()
    too_much = api.post(f"incidents/{incident.pk}/issue", {"material_id": material.pk, "quantity": material.quantity + 1})
    assert too_much.status_code == 422
    assert too_much.json()["detail"][0]["loc"] == ["body", "quantity"] and "库存不足" in too_much.json()["detail"][0]["msg"]
    assert api.post(f"incidents/{incident.pk}/issue", {"material_id": material.pk, "quantity": 1}).status_code == 201
    moved = api.post(f"incidents/{incident.pk}/transitions", {"transition": "respond",
                                                              "expected_version": incident.version})
    assert moved.status_code == 200 and moved.json()["status"] == "responding"
    stale = api.post(f"incidents/{incident.pk}/transitions", {"transition": "control",
                                                              "expected_version": incident.version})
    assert stale.status_code == 409


def test_api_keeps_other_townships_incidents_and_roads_out_of_reach(world, api_as):
    incident = Incident.objects.filter(township=world.township_a).first()
    other = api_as(world.other_township_officer)
    answer = other.post(f"incidents/{incident.pk}/dispatch-team", {"team_id": RescueTeam.objects.first().pk})
    assert answer.status_code == 404 and isinstance(answer.json()["detail"], list)
    assert other.get(f"incidents/{incident.pk}/resources").status_code == 404
    segment = RoadSegment.objects.first()
    assert other.post(f"roads/{segment.pk}/close", {"reason": "塌方"}).status_code == 403
    admin = api_as(world.admin)
    assert admin.post(f"roads/{segment.pk}/close", {"reason": ""}).status_code == 422
    assert admin.post(f"roads/{segment.pk}/close", {"reason": "塌方"}).status_code == 204
    assert RoadSegment.objects.get(pk=segment.pk).closed
