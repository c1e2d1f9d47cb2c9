"""The test-only hydrant kind (tests/kindapp): declared once, it gets list, detail and edit
pages, the REST API, workbook import/export — and the generated scope matrix
(tests/api/test_kind_matrix.py, tests/pages/test_kind_matrix.py) — without a line in core."""
from django.urls import reverse

from citysafe.core.audit_models import AuditRecord
from citysafe.registry.io.excel_import import import_workbook
from tests.api.conftest import Api
from tests.data_io.conftest import ledger_bytes, ledger_rows, workbook_with_rows
from tests.kindapp.models import Hydrant


def test_api_creates_lists_reads_changes_archives_restores_and_purges_a_hydrant(world):
    officer, admin = Api(world.township_officer), Api(world.admin)
    created = officer.post("hydrants", {"code": "XHS-NEW-1", "name": "新消防栓", "township_id": world.township_a.pk,
                                        "status": "broken"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["township_name"], body["version"]) == ("broken", world.township_a.name, 1)

    listed = officer.get("hydrants", status="broken", q="XHS-NEW")
    assert [item["id"] for item in listed.json()["items"]] == [body["id"]]
    assert officer.get("hydrants", status="leaking").status_code == 422

    changed = officer.patch(f"hydrants/{body['id']}", {"name": "改名消防栓", "version": 1})
    assert changed.status_code == 200 and changed.json()["name"] == "改名消防栓"
    assert officer.patch(f"hydrants/{body['id']}", {"name": None, "version": 2}).json()["detail"][0]["loc"] == [
        "body", "name"]
    assert Api(world.other_township_officer).get(f"hydrants/{body['id']}").status_code == 404
    assert officer.delete(f"hydrants/{body['id']}").status_code == 204
    assert Hydrant.objects.get(pk=body["id"]).archived_at is not None
    assert admin.post(f"hydrants/{body['id']}/restore").status_code == 200
    assert Hydrant.objects.get(pk=body["id"]).archived_at is None
    assert admin.post(f"hydrants/{body['id']}/purge").status_code == 204
    assert not Hydrant.objects.filter(pk=body["id"]).exists()
    assert AuditRecord.objects.filter(object_type="kindapp.Hydrant", object_id=str(body["id"])).count() >= 4


def test_pages_list_show_edit_and_archive_a_hydrant(client, world):
    hydrant = Hydrant.objects.filter(township=world.township_a).order_by("id").first()
    client.force_login(world.township_officer)
    listing = client.get(reverse("kindapp:list", args=["hydrants"]))
    assert listing.status_code == 200 and hydrant.name in listing.text
    assert reverse("kindapp:detail", args=["hydrants", hydrant.pk]) in listing.text
    assert client.get(reverse("kindapp:detail", args=["hydrants", hydrant.pk])).status_code == 200

    edit = reverse("kindapp:edit", args=["hydrants", hydrant.pk])
    assert client.get(edit).status_code == 200
    saved = client.post(edit, {"version": hydrant.version, "code": hydrant.code, "name": "页面改名", "status": "broken",
                               "township_id": hydrant.township_id, "grid_id": hydrant.grid_id or "",
                               "enterprise_id": hydrant.enterprise_id or ""})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    hydrant.refresh_from_db()
    assert (hydrant.name, hydrant.status) == ("页面改名", "broken")

    assert client.post(reverse("kindapp:archive", args=["hydrants", hydrant.pk])).status_code == 302
    hydrant.refresh_from_db()
    assert hydrant.archived_at is not None
    assert client.get(reverse("kindapp:detail", args=["hydrants", hydrant.pk])).status_code == 404


def test_workbook_export_and_import_go_through_the_kinds_services(world):
    rows = ledger_rows(ledger_bytes(world.township_officer, "hydrants"))
    assert rows[0][:3] == ("编号", "名称", "所属乡镇代码")
    mine = set(Hydrant.objects.filter(township=world.township_a, archived_at__isnull=True).values_list("code", flat=True))
    assert {r[0] for r in rows[1:]} == mine and mine

    data = workbook_with_rows("hydrants", [
        {"编号": "XHS-IMP-1", "名称": "导入消防栓", "所属乡镇代码": world.township_a.code},
        {"编号": sorted(mine)[0], "名称": "导入改名", "所属乡镇代码": world.township_a.code},
    ])
    result = import_workbook(world.township_officer, "hydrants", data)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    assert Hydrant.objects.get(code=sorted(mine)[0]).name == "导入改名"
    assert AuditRecord.objects.filter(object_type="kindapp.Hydrant", action="create", channel="import").exists()

    outside = workbook_with_rows("hydrants", [{"编号": "XHS-IMP-2", "名称": "外乡", "所属乡镇代码": world.township_b.code}])
    assert not import_workbook(world.township_officer, "hydrants", outside).ok
