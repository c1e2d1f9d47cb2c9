"""Issue 19, cross-county paths of the sharing app: the change feed of every resource (every
registered record kind and the alarms, read from the first audit record, so all the history the
demo seeding audited is replayed) and the webhook fan-out (subscriptions replaying the whole
audit chain). A county's subscriber or feed reader gets its own county's records only; the
prefecture office gets both. The oracle is the id cut of tests/security/county_paths_world.py."""
import pytest
from django.test import Client

from citysafe.core.audit_models import AuditRecord
from citysafe.hazards.models import Hazard
from citysafe.hazards.services import hazards as hazard_services
from citysafe.registry.models import Enterprise
from citysafe.sharing.models import Delivery, Subscription
from citysafe.sharing.resources import resources
from citysafe.sharing.webhooks.events import EVENT_NAMES
from citysafe.sharing.webhooks.fanout import fan_out
from tests.security.county_paths_world import fresh

RESOURCES = sorted(key for key, resource in resources().items() if not getattr(resource.model.scope, "public", False))


def _is_b(two, label: str, pk: int) -> bool:
    return two.is_b_row(label, pk)


def _b_hazard_changes(two):
    """A hazard of each county registered and taken one step, through the services (audited)."""
    made = {}
    for of_b, users in ((True, two.b), (False, two.a)):
        admin = fresh(users["admin"])
        enterprise = Enterprise.objects.filter(**({"pk__gt": two.before["registry.Enterprise"]} if of_b else
                                                  {"pk__lte": two.before["registry.Enterprise"]}),
                                               archived_at__isnull=True).order_by("pk").first()
        hazard = hazard_services.create_hazard(admin, {"category": "fire", "description": "疏散通道堆放杂物（跨县测试）",
                                                       "enterprise_id": enterprise.pk})
        made[of_b] = hazard
        if not of_b:
            two.made_in_a(hazard)
    return made


def _feed_ids(user, key: str, cursor: int = 0) -> list[int]:
    client = Client()
    client.force_login(user)
    ids = []
    for _page in range(200):
        response = client.get(f"/api/v1/changes/{key}", {"cursor": cursor, "limit": 1000})
        assert response.status_code == 200, (key, response.content[:300])
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return ids
    raise AssertionError("the feed did not end")


@pytest.mark.parametrize("who", ["b_admin", "b_township", "a_admin", "a_department"])
def test_the_change_feed_of_every_resource_carries_only_the_readers_county(two, who):
    _b_hazard_changes(two)
    of_b = who.startswith("b_")
    user = fresh((two.b if of_b else two.a)[who.split("_", 1)[1]])
    leaks = {}
    for key in RESOURCES:
        label = resources()[key].label
        if not AuditRecord.objects.filter(object_type=label).exists():
            continue
        # The second county's rows were loaded without services (not audited): its history in the
        # feed starts after the cut, so a first-county reader starts there; the second county's
        # reader replays the first county's whole audited history.
        start = 0 if of_b else two.audit_start
        other = [pk for pk in _feed_ids(user, key, start) if _is_b(two, label, pk) != of_b]
        if other:
            leaks[key] = other[:5]
    assert leaks == {}


def test_a_hazard_of_one_county_is_in_its_own_feed_and_the_prefectures(two):
    made = _b_hazard_changes(two)
    assert made[True].pk in _feed_ids(fresh(two.b["admin"]), "hazards", two.audit_start)
    assert made[False].pk not in _feed_ids(fresh(two.b["admin"]), "hazards", two.audit_start)
    prefecture = _feed_ids(fresh(two.prefecture), "hazards", two.audit_start)
    assert made[True].pk in prefecture and made[False].pk in prefecture


def _subscribe_everything(owner) -> Subscription:
    # Replays the whole audit chain (since_audit_id=0): every event the demo seeding audited.
    return Subscription.objects.create(owner=owner, name=f"{owner.username}的订阅", url="http://127.0.0.1:9/x",
                                       secret="s" * 64, events=list(EVENT_NAMES), since_audit_id=0)


def test_webhook_deliveries_carry_only_the_subscribers_county_and_the_prefecture_gets_both(two):
    made = _b_hazard_changes(two)
    subscriptions = {name: _subscribe_everything(fresh(user)) for name, user in (
        ("b_admin", two.b["admin"]), ("b_department", two.b["department"]), ("b_township", two.b["township"]),
        ("a_admin", two.a["admin"]), ("a_township", two.a["township"]), ("prefecture", two.prefecture))}
    while fan_out(batch=5000)[0]:
        pass
    by_sub = {}
    for name, subscription in subscriptions.items():
        rows = Delivery.objects.filter(subscription=subscription).values_list("payload", flat=True)
        by_sub[name] = {(p["resource"], p["record_id"]) for p in rows}
    labels = {key: resource.label for key, resource in resources().items()}
    for name, delivered in by_sub.items():
        if name == "prefecture":
            continue
        of_b = name.startswith("b_")
        other = sorted(d for d in delivered if _is_b(two, labels[d[0]], d[1]) != of_b)
        assert other == [], name
    assert ("hazards", made[True].pk) in by_sub["b_admin"] and ("hazards", made[False].pk) in by_sub["a_admin"]
    assert {("hazards", made[True].pk), ("hazards", made[False].pk)} <= by_sub["prefecture"]
    assert Hazard.objects.filter(pk=made[True].pk).exists()


@pytest.mark.parametrize("of_b", [True, False])
def test_an_audit_record_holding_only_part_of_a_record_names_it_in_no_other_countys_feed(two, of_b):
    """An export of an enterprise's 双清单 is audited on the enterprise with only the export's
    details (no township, no grid): the other county's feed must not answer it with a
    tombstone (the record's id), as if its reader had once seen it."""
    import io

    from citysafe.hazards.services.ledgers import write_dual_lists

    cut = two.before["registry.Enterprise"]
    enterprise = Enterprise.objects.filter(**({"pk__gt": cut} if of_b else {"pk__lte": cut}),
                                           archived_at__isnull=True).order_by("pk").first()
    write_dual_lists(fresh((two.b if of_b else two.a)["admin"]), enterprise.pk, io.BytesIO())
    for role in ("admin", "leader", "department"):
        reader = fresh((two.a if of_b else two.b)[role])
        assert enterprise.pk not in _feed_ids(reader, "enterprises", two.audit_start), role
