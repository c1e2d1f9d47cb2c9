"""Optimistic concurrency (security review, issue 6 finding 4): an edit carries the version
it was made on; a stale save is a conflict, never a silent overwrite."""
import pytest
from django.urls import reverse

from citysafe.accounts.models import Organisation
from citysafe.core.audit_models import AuditRecord
from citysafe.registry import services
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place
from tests.api.conftest import Api
from tests.data_io.conftest import ledger_bytes, ledger_rows, workbook_with_rows

MODELS = {"enterprises": Enterprise, "places": Place, "persons": Person, "areas": Area, "industries": Industry,
          "organisations": Organisation}
# Two harmless edits per resource, on different fields (two people, two tabs).
EDITS = {"enterprises": ({"address": "第一个标签页"}, {"legal_representative": "第二个标签页"}),
         "places": ({"address": "第一个标签页"}, {"name": "第二个标签页"}),
         "persons": ({"title": "第一个标签页"}, {"name": "第二个"}),
         "areas": ({"population": 111}, {"name": "第二个标签页"}),
         "industries": ({"description": "第一个标签页"}, {"name": "第二个标签页"}),
         "organisations": ({"phone": "0930-7111111"}, {"name": "第二个标签页"})}


def test_second_tab_saving_a_stale_enterprise_gets_a_conflict_not_an_overwrite_api(world):
    ent = world.enterprise_in_a
    read = Api(world.township_officer).get(f"enterprises/{ent.pk}").json()["version"]
    first = Api(world.township_officer).patch(f"enterprises/{ent.pk}", {"address": "第一个标签页", "version": read})
    assert first.status_code == 200 and first.json()["version"] == read + 1
    second = Api(world.admin).patch(f"enterprises/{ent.pk}", {"address": "第二个标签页", "version": read})
    assert second.status_code == 409, second.content
    (item,) = second.json()["detail"]
    assert (item["loc"], item["type"]) == (["body", "version"], "conflict")
    assert "已被他人修改" in item["msg"] and "地址" in item["msg"]
    after = Enterprise.objects.get(pk=ent.pk)
    assert (after.address, after.version) == ("第一个标签页", read + 1)


def test_second_tab_saving_a_stale_enterprise_gets_a_conflict_not_an_overwrite_pages(client, world):
    ent = world.enterprise_in_a
    client.force_login(world.township_officer)
    url = reverse("registry:edit", args=["enterprises", ent.pk])
    tab1 = client.get(url).context["form"]
    tab2 = client.get(url).context["form"]

    def payload(form, **changes):
        data = {}
        for name, value in form.initial.items():
            if name in form.fields:
                data[name] = "" if value is None else getattr(value, "pk", value)
        return {**data, **changes}

    assert client.post(url, payload(tab1, address="第一个标签页")).status_code == 302
    response = client.post(url, payload(tab2, address="第二个标签页", legal_representative="第二个法人"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "他人已修改并保存了这条记录" in page
    assert response.context["conflict"]["rows"] == [("地址", "第一个标签页", "第二个标签页")]
    # Nothing overwritten; what the user typed is still in the form, now on the current version.
    after = Enterprise.objects.get(pk=ent.pk)
    assert (after.address, after.legal_representative) == ("第一个标签页", ent.legal_representative)
    assert 'value="第二个法人"' in page
    assert f'name="version" value="{after.version}"' in page
    # Saving again after reading the message is a deliberate choice: it goes through.
    again = client.post(url, payload(tab2, address="第二个标签页", version=after.version))
    assert again.status_code == 302
    assert Enterprise.objects.get(pk=ent.pk).address == "第二个标签页"


@pytest.mark.parametrize("resource", list(MODELS))
def test_a_stale_patch_is_a_409_for_every_record_kind(world, resource):
    record = MODELS[resource].objects.filter(archived_at__isnull=True).order_by("-id").first()
    api = Api(world.admin)
    mine, theirs = EDITS[resource]
    assert api.patch(f"{resource}/{record.pk}", {**mine, "version": record.version}).status_code == 200
    stale = api.patch(f"{resource}/{record.pk}", {**theirs, "version": record.version})
    assert stale.status_code == 409, stale.content
    assert stale.json()["detail"][0]["loc"] == ["body", "version"]
    field, value = next(iter(theirs.items()))
    assert getattr(MODELS[resource].objects.get(pk=record.pk), field) != value


def test_a_patch_without_a_version_is_refused_naming_the_field(world):
    ent = world.enterprise_in_a
    response = Api(world.admin).patch(f"enterprises/{ent.pk}", {"address": "无版本"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "version"]
    assert Enterprise.objects.get(pk=ent.pk).address != "无版本"


def test_every_record_read_says_its_version(world):
    api = Api(world.admin)
    for resource, model in MODELS.items():
        record = model.objects.order_by("id").first()
        assert api.get(f"{resource}/{record.pk}").json()["version"] == record.version
        assert "version" in api.get(resource, limit=1).json()["items"][0]


def test_every_save_moves_the_version_on(world):
    ent = world.enterprise_in_a
    v = ent.version
    services.update_enterprise(world.admin, ent.pk, {"address": "一"}, expected_version=v)
    services.transition_enterprise(world.admin, ent.pk, "start_relocation", expected_version=v + 1)
    services.archive_record(world.admin, Enterprise, ent.pk)
    services.restore_record(world.admin, Enterprise, ent.pk)
    assert Enterprise.objects.get(pk=ent.pk).version == v + 4


def test_a_transition_on_a_version_someone_has_edited_since_is_a_conflict(world):
    ent = world.enterprise_in_a
    read = ent.version
    Api(world.admin).patch(f"enterprises/{ent.pk}", {"address": "先编辑", "version": read})
    response = Api(world.township_officer).post(f"enterprises/{ent.pk}/transitions",
                                                {"transition": "start_relocation", "expected_version": read})
    assert response.status_code == 409
    assert Enterprise.objects.get(pk=ent.pk).operating_status == Enterprise.OperatingStatus.OPERATING


def test_an_edit_on_a_version_before_a_transition_is_a_conflict(world):
    ent = world.enterprise_in_a
    read = ent.version
    services.transition_enterprise(world.township_officer, ent.pk, "start_relocation", expected_version=read)
    from citysafe.core.concurrency import StaleRecord

    with pytest.raises(StaleRecord) as caught:
        services.update_enterprise(world.admin, ent.pk, {"address": "旧版本上的编辑"}, expected_version=read)
    assert caught.value.changed == ["operating_status"]


def test_an_import_updates_without_a_version_but_moves_it_on(world):
    ent = world.enterprise_in_a
    rows = ledger_rows(ledger_bytes(world.admin, "enterprises"))
    header, row = rows[0], next(r for r in rows[1:] if r[0] == ent.uscc)
    record = {**dict(zip(header, row, strict=False)), "地址": "导入修改的地址"}
    for bulk in (False, True):
        before = Enterprise.objects.get(pk=ent.pk).version
        result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [record]), bulk=bulk)
        assert result.ok and result.updated == 1, result.errors
        after = Enterprise.objects.get(pk=ent.pk)
        assert (after.address, after.version) == ("导入修改的地址", before + 1)


def test_the_conflict_lists_what_changed_from_the_audit_trail(world):
    place = Place.objects.filter(archived_at__isnull=True).order_by("id").first()
    read = place.version
    services.update_place(world.admin, place.pk, {"people_present": 12, "address": "甲"}, expected_version=read)
    services.update_place(world.admin, place.pk, {"name": "改名后的场所"}, expected_version=read + 1)
    from citysafe.core.concurrency import StaleRecord

    with pytest.raises(StaleRecord) as caught:
        services.update_place(world.admin, place.pk, {"address": "乙"}, expected_version=read)
    assert set(caught.value.changed) == {"people_present", "address", "name"}
    assert caught.value.current_version == read + 2
    assert AuditRecord.objects.filter(object_type="registry.Place", object_id=str(place.pk)).count() >= 2


def test_a_stale_admin_save_of_an_organisation_is_refused(client, world):
    org = world.other_department.organisation
    read = org.version
    services.update_organisation(world.admin, org.pk, {"phone": "0930-7222222"}, expected_version=read)
    client.force_login(world.admin)
    url = reverse("admin:accounts_organisation_change", args=[org.pk])
    assert f'name="version" value="{read + 1}"' in client.get(url).content.decode()
    response = client.post(url, {"kind": org.kind, "code": org.code, "name": "过期表单的名称", "area": "",
                                 "industries": list(org.industries.values_list("pk", flat=True)),
                                 "phone": org.phone, "version": read}, follow=True)
    assert "已被他人修改" in response.content.decode()
    after = Organisation.objects.get(pk=org.pk)
    assert (after.name, after.phone, after.version) == (org.name, "0930-7222222", read + 1)


def test_two_simultaneous_saves_on_one_version_store_one_and_refuse_the_other(transactional_world):
    """Two real connections at once (two workers): the row lock and the conditional version
    UPDATE let exactly one through; the other is a conflict, not a lost update."""
    import threading

    from django.db import connection

    from citysafe.core.concurrency import StaleRecord

    ent = transactional_world.enterprise_in_a
    actors = [transactional_world.township_officer, transactional_world.admin]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(actor, address):
        try:
            start.wait()
            services.update_enterprise(actor, ent.pk, {"address": address}, expected_version=ent.version)
            outcomes.append("saved")
        except StaleRecord:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(actor, f"同时保存{i}")) for i, actor in enumerate(actors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict", "saved"]
    after = Enterprise.objects.get(pk=ent.pk)
    assert after.version == ent.version + 1 and after.address.startswith("同时保存")
