"""The change feed: a consumer mirrors the registry exactly, changes on both sides of a cursor."""
from citysafe.core.records import archive_record
from citysafe.registry import services
from citysafe.registry.models import Area, Enterprise
from citysafe.registry.tests.test_services import enterprise_data, new_uscc, point_in
from tests.api.conftest import Api


class Mirror:
    """What another system does: a snapshot, then the feed from the snapshot's cursor."""

    def __init__(self, api: Api, resource: str):
        self.api, self.resource, self.records, self.cursor = api, resource, {}, None
        self.snapshot_page = 0

    def load(self, limit: int, between_pages=None):
        after_id = 0
        while after_id is not None:
            page = self.api.get(f"changes/{self.resource}/snapshot", after_id=after_id, limit=limit)
            assert page.status_code == 200, page.content
            body = page.json()
            if self.cursor is None:
                self.cursor = body["cursor"]  # the first page's cursor
            self.records.update({item["id"]: item for item in body["items"]})
            after_id = body["next_after_id"]
            if between_pages is not None and after_id is not None:
                between_pages()
                between_pages = None

    def follow(self, limit: int = 3):
        while True:
            page = self.api.get(f"changes/{self.resource}", cursor=self.cursor, limit=limit)
            assert page.status_code == 200, page.content
            body = page.json()
            for item in body["items"]:
                if item["op"] == "upsert":
                    self.records[item["id"]] = item["record"]
                else:
                    self.records.pop(item["id"], None)
            assert body["next_cursor"] >= self.cursor
            self.cursor = body["next_cursor"]
            if not body["has_more"]:
                return


def _truth(api: Api, resource: str) -> dict:
    fresh = Mirror(api, resource)
    fresh.load(limit=1000)
    return fresh.records


def test_a_township_system_mirrors_its_enterprises_through_the_feed_with_changes_on_both_sides_of_the_cursor(world):
    admin, township = world.admin, world.township_officer
    api = Api(township)
    mirror = Mirror(api, "enterprises")
    own = list(Enterprise.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id"))
    assert len(own) >= 4
    renamed, archived, moved = own[-1], own[-2], own[-3]

    # A change while the snapshot is being read (after its cursor, on a row already read or not).
    mirror.load(limit=2, between_pages=lambda: services.update_enterprise(admin, renamed.pk, {"name": "快照期间改名"}))
    mirror.follow()
    assert mirror.records == _truth(api, "enterprises")

    # Changes after the cursor: a new enterprise, an archive, a move to another township, a
    # change in another township (never seen), two changes of one record.
    created = services.create_enterprise(admin, enterprise_data(world, uscc=new_uscc(77), name="镜像测试加油站"))
    archive_record(admin, Enterprise, archived.pk)
    mirror.follow(limit=2)  # the consumer reads part way ...
    services.update_enterprise(admin, created.pk, {"name": "镜像测试加油站（更名）"})
    grid_b = Area.objects.filter(level="grid", township=world.township_b).order_by("id").first()
    lon, lat = point_in(grid_b)
    services.update_enterprise(admin, moved.pk, {"lon": lon, "lat": lat, "grid_id": grid_b.pk,
                                                 "township_id": world.township_b.pk})
    services.update_enterprise(admin, world.enterprise_in_b.pk, {"name": "别的乡镇的企业"})
    mirror.follow(limit=2)  # ... and on

    truth = _truth(api, "enterprises")
    assert mirror.records == truth
    assert created.pk in truth and truth[created.pk]["name"] == "镜像测试加油站（更名）"
    assert archived.pk not in truth and moved.pk not in truth
    assert world.enterprise_in_b.pk not in mirror.records


def test_the_feed_says_nothing_about_records_the_caller_never_saw(world):
    cursor = Api(world.township_officer).get("changes").json()["cursor"]
    services.update_enterprise(world.admin, world.enterprise_in_b.pk, {"name": "别的乡镇改名"})
    archive_record(world.admin, Enterprise, world.enterprise_in_b.pk)
    page = Api(world.township_officer).get("changes/enterprises", cursor=cursor).json()
    assert page["items"] == []
    other = Api(world.other_township_officer).get("changes/enterprises", cursor=cursor).json()
    assert [(i["id"], i["op"]) for i in other["items"]] == [(world.enterprise_in_b.pk, "delete")]


def test_an_unknown_resource_is_a_404(world):
    assert Api(world.admin).get("changes/no-such-thing").status_code == 404


def test_every_resource_has_a_feed_and_a_snapshot_in_its_own_api_shape(world):
    from citysafe.sharing.resources import resources

    admin, township = Api(world.admin), Api(world.township_officer)
    for key in resources():
        for api in (admin, township):
            page = api.get(f"changes/{key}", cursor=0, limit=5)
            assert page.status_code == 200, (key, page.content[:300])
            snapshot = api.get(f"changes/{key}/snapshot", limit=3)
            assert snapshot.status_code == 200, (key, snapshot.content[:300])
    # the snapshot's document is the resource's own GET
    first = admin.get("changes/hazards/snapshot", limit=1).json()["items"][0]
    assert first == admin.get(f"hazards/{first['id']}").json()
