"""Export → import into an empty registry → export again gives the same ledgers and features."""
import io
import json

import pytest

from citysafe.accounts.models import Organisation, User
from citysafe.core.audit_models import AuditChannel, AuditRecord
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.export import geojson_chunks
from citysafe.registry.io.geojson_import import import_areas
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place
from tests.data_io.conftest import ledger_bytes, ledger_rows

WORKBOOK_KINDS = ["industries", "organisations", "enterprises", "persons", "places"]


def export_everything(user) -> dict:
    files = {kind: ledger_bytes(user, kind) for kind in WORKBOOK_KINDS}
    files["areas"] = "".join(geojson_chunks(user, "areas")).encode()
    return files


def empty_registry(keep: User) -> None:
    """Remove every registry row (inside the test's transaction, rolled back afterwards)."""
    Place.objects.all().delete()
    User.objects.exclude(pk=keep.pk).delete()
    User.objects.filter(pk=keep.pk).update(organisation=None, enterprise=None)
    Person.objects.all().delete()
    Enterprise.objects.all().delete()
    Organisation.objects.all().delete()
    Industry.objects.all().delete()
    Area.objects.update(parent=None, township=None)
    Area.objects.all().delete()


def import_everything(user, files: dict, bulk=None) -> None:
    result = import_areas(user, files["areas"], filename="areas.geojson")
    assert result.ok, result.errors[:5]
    for kind in WORKBOOK_KINDS:
        result = import_workbook(user, kind, files[kind], filename=f"{kind}.xlsx",
                                 bulk=bulk if kind == "enterprises" else None)
        assert result.ok, (kind, result.file_error, result.errors[:5])


@pytest.mark.parametrize("bulk", [False, True], ids=["service-path", "bulk-path"])
def test_export_import_into_empty_registry_then_export_again_gives_identical_files(world, bulk):
    before = export_everything(world.admin)
    counts = {m: m.objects.count() for m in (Area, Industry, Organisation, Enterprise, Person, Place)}
    empty_registry(world.admin)
    assert Enterprise.objects.count() == 0 and Area.objects.count() == 0
    admin = User.objects.get(pk=world.admin.pk)

    import_everything(admin, before, bulk=bulk)

    assert {m: m.objects.count() for m in counts} == counts
    after = export_everything(admin)
    for kind in WORKBOOK_KINDS:
        rows_before, rows_after = ledger_rows(before[kind]), ledger_rows(after[kind])
        assert len(rows_before) > 1, kind
        assert rows_after == rows_before, kind
    assert json.loads(after["areas"]) == json.loads(before["areas"])


def test_import_is_audited_with_channel_import(world):
    data = ledger_bytes(world.admin, "persons")
    last = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first()
    result = import_workbook(world.admin, "persons", data, filename="persons.xlsx")
    assert result.ok
    records = AuditRecord.objects.filter(id__gt=last)
    assert records.count() == result.total + 1  # one per row, one for the import itself
    assert set(records.values_list("channel", flat=True)) == {AuditChannel.IMPORT}
    assert records.filter(action="import", note="persons.xlsx").exists()


def test_geojson_export_of_places_holds_their_geometry(world):
    collection = json.load(io.StringIO("".join(geojson_chunks(world.admin, "places"))))
    assert len(collection["features"]) == Place.objects.count()
    feature = collection["features"][0]
    place = Place.objects.order_by("id").first()
    assert feature["geometry"] == place.geometry
    assert feature["properties"]["place_type"] == place.place_type
