"""Webhooks: a receiver killed and restarted gets every event once, in order per record;
signatures; the subscriber's scope and area; the URL policy (SSRF)."""
import json
from collections import defaultdict

import pytest
from django.test import override_settings

from citysafe.core.audit_models import AuditRecord
from citysafe.hazards.services import hazards as hazard_services
from citysafe.registry.models import Place
from citysafe.sharing.models import Delivery
from citysafe.sharing.tests.receiver import Receiver
from citysafe.sharing.webhooks import transport
from citysafe.sharing.webhooks.delivery import deliver_due
from citysafe.sharing.webhooks.fanout import fan_out
from tests.api.conftest import Api

LOCAL = {"SHARING_WEBHOOK_ALLOW_PRIVATE": True, "SHARING_WEBHOOK_RETRY_BASE_SECONDS": 0}


def _place(township):
    return Place.objects.filter(township=township, grid__isnull=False, archived_at__isnull=True).order_by("id").first()


def _hazard(actor, township):
    return hazard_services.create_hazard(actor, {"category": "fire", "description": "疏散通道堆放杂物",
                                                 "place_id": _place(township).pk})


def _step(actor, hazard, name, note="", **payload):
    hazard.refresh_from_db()
    return hazard_services.transition_hazard(actor, hazard.pk, name, expected_version=hazard.version, note=note,
                                             payload=payload or None)


def _run():
    while fan_out()[0]:
        pass
    return deliver_due()


def _subscribe(api, url, events, **extra):
    answer = api.post("webhooks", {"name": "市应急指挥平台", "url": url, "events": events, **extra})
    assert answer.status_code == 201, answer.content
    return answer.json()


@override_settings(**LOCAL)
def test_a_receiver_killed_and_restarted_gets_every_event_once_in_order_per_record(world):
    officer = world.township_officer
    receiver = Receiver().start()
    created = _subscribe(Api(officer), receiver.url, ["hazard.registered", "hazard.escalated"])
    receiver.secret = created["secret"]

    mine = [_hazard(officer, world.township_a) for _ in range(3)]
    _hazard(world.other_township_officer, world.township_b)  # another township's: never sent here
    assert _run()["delivered"] == 3

    receiver.stop()  # killed
    first, second = mine[0], mine[1]
    _step(officer, first, "grade", grade="major", reason="涉及人员密集场所")
    _step(officer, first, "return", note="补充证据")
    _step(officer, first, "grade", grade="major", reason="证据已补充")  # a second event of the same record
    _step(officer, second, "grade", grade="major", reason="涉及人员密集场所")
    report = _run()
    assert report["delivered"] == 0 and report["failed"] == 2  # one per record: the next waits for the first
    waiting = Delivery.objects.filter(subscription_id=created["id"]).exclude(status=Delivery.Status.DELIVERED)
    assert waiting.count() == 3 and waiting.filter(attempts=0).count() == 1

    receiver = Receiver(created["secret"], port=receiver.port).start()  # back, with nothing remembered
    report = _run()
    assert report["delivered"] == 3

    every = Delivery.objects.filter(subscription_id=created["id"])
    assert every.count() == 6 and not every.exclude(status=Delivery.Status.DELIVERED).exists()
    got = receiver.accepted
    assert sorted(d["id"] for d in got) == sorted(d.pk for d in every.filter(event="hazard.escalated"))
    assert len({d["id"] for d in got}) == len(got)  # once each
    by_record = defaultdict(list)
    for document in got:
        by_record[document["record_id"]].append(document["audit_id"])
    assert by_record[first.pk] == sorted(by_record[first.pk]) and len(by_record[first.pk]) == 2
    assert {d["data"]["township_id"] for d in got} == {world.township_a.pk}
    assert receiver.refused == 0


@override_settings(**LOCAL)
def test_a_township_subscriber_gets_only_its_townships_events_and_an_area_narrows_the_county(world):
    township_sub = _subscribe(Api(world.township_officer), "http://127.0.0.1:9/x", ["hazard.registered"])
    county_sub = _subscribe(Api(world.admin), "http://127.0.0.1:9/x", ["hazard.registered"],
                            area_id=world.township_b.pk)
    in_a, in_b = _hazard(world.township_officer, world.township_a), _hazard(world.other_township_officer,
                                                                            world.township_b)
    fan_out()
    assert [d.payload["record_id"] for d in Delivery.objects.filter(subscription_id=township_sub["id"])] == [in_a.pk]
    assert [d.payload["record_id"] for d in Delivery.objects.filter(subscription_id=county_sub["id"])] == [in_b.pk]
    refused = Api(world.township_officer).post("webhooks", {"name": "x", "url": "http://127.0.0.1:9/x",
                                                            "events": ["hazard.registered"],
                                                            "area_id": world.township_b.pk})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "area_id"]


def test_the_signature_covers_timestamp_and_body():
    body = json.dumps({"id": 1, "event": "hazard.closed"}).encode()
    header = transport.signature("s3cret", 1_700_000_000, body)
    assert transport.verify("s3cret", header, body, now=1_700_000_010)
    assert not transport.verify("s3cret", header, body + b" ", now=1_700_000_010)  # body changed
    assert not transport.verify("other", header, body, now=1_700_000_010)  # wrong secret
    assert not transport.verify("s3cret", header, body, now=1_700_009_999)  # replayed too late
    forged = header.replace("t=1700000000", "t=1700009990")
    assert not transport.verify("s3cret", forged, body, now=1_700_009_999)  # a fresh timestamp on an old MAC


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/admin", "http://169.254.169.254/latest/meta-data",
                                 "http://10.1.2.3/hook", "http://localhost/hook", "ftp://example.com/x",
                                 "http://user:pw@example.com/x"])
def test_webhooks_cannot_point_inside_the_network(world, url):
    answer = Api(world.admin).post("webhooks", {"name": "x", "url": url, "events": ["alarm.raised"]})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "url"]


@override_settings(SHARING_WEBHOOK_ALLOWED_HOSTS=[".example.gov.cn"])
def test_an_allow_list_refuses_other_hosts():
    with pytest.raises(transport.UrlRefused):
        transport.check_url("https://example.com/hook")


@override_settings(**LOCAL)
def test_the_secret_is_shown_once_and_never_audited(world):
    created = _subscribe(Api(world.admin), "http://127.0.0.1:9/x", ["alarm.raised"])
    assert len(created["secret"]) == 64
    assert "secret" not in Api(world.admin).get(f"webhooks/{created['id']}").json()
    trail = AuditRecord.objects.filter(object_type="sharing.Subscription", object_id=str(created["id"]))
    assert trail.exists() and all(created["secret"] not in json.dumps([a.before, a.after]) for a in trail)


@override_settings(**LOCAL)
def test_a_subscription_and_its_delivery_log_are_its_owners_only(world):
    created = _subscribe(Api(world.township_officer), "http://127.0.0.1:9/x", ["alarm.raised"])
    other = Api(world.other_township_officer)
    assert other.get(f"webhooks/{created['id']}").status_code == 404
    assert other.get(f"webhooks/{created['id']}/deliveries").status_code == 404
    assert other.patch(f"webhooks/{created['id']}", {"active": False}).status_code == 404
    assert Api(world.township_officer).get(f"webhooks/{created['id']}/deliveries").json() == []


def test_enterprise_officers_cannot_subscribe(world):
    answer = Api(world.enterprise_officer).post("webhooks", {"name": "x", "url": "https://example.com/x",
                                                             "events": ["alarm.raised"]})
    assert answer.status_code == 403
