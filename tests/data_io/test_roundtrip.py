"""Export → import into an empty registry → export again gives the same ledgers and features,
responsible-person links (实名制) included, when the files go in the documented order."""
import io
import json

import pytest
from django.db.models import ProtectedError, RestrictedError

from citysafe.accounts.models import Organisation, User
from citysafe.core.audit_models import AuditChannel, AuditRecord
from citysafe.core.kinds import all_kinds
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.export import geojson_chunks
from citysafe.registry.io.geojson_import import import_areas
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place
from citysafe.registry.services import update_place
from tests.data_io.conftest import blank_columns, ledger_bytes, ledger_rows

WORKBOOK_KINDS = ["industries", "organisations", "enterprises", "persons", "places"]
# The documented order (说明 sheet): persons point at organisations and enterprises, which point
# back at persons, so organisations and enterprises go in first without their person columns
# and again once the persons exist.
PERSON_COLUMNS = {"organisations": {"第一责任人", "直接责任人"}, "enterprises": {"安全管理负责人"}}
IMPORT_ORDER = [("industries", False), ("organisations", True), ("enterprises", True), ("persons", False),
                ("places", False), ("organisations", False), ("enterprises", False)]


def give_places_responsible_persons(admin) -> None:
    """The demo county has no place → person links; give a few places two or three each."""
    persons = list(Person.objects.order_by("id").values_list("id", flat=True)[:30])
    for index, place in enumerate(Place.objects.order_by("id")[:10]):
        chosen = persons[index:index + 2 + index % 2]
        update_place(admin, place.pk, {"responsible_person_ids": chosen[::-1]})


def export_everything(user) -> dict:
    files = {kind: ledger_bytes(user, kind) for kind in WORKBOOK_KINDS}
    files["areas"] = "".join(geojson_chunks(user, "areas")).encode()
    return files


def empty_registry(keep: User) -> None:
    """Remove every registry row (inside the test's transaction, rolled back afterwards), and
    first the rows of other apps' record kinds that point at them (tests/kindapp)."""
    from citysafe.hazards.models import Inspection, InspectionTask

    Inspection.objects.all().delete()  # inspections point at places but are no record kind
    InspectionTask.objects.all().delete()
    # Other apps' kinds in whatever order they were registered: a kind still referred to by
    # another's rows (protected) waits for the next pass. Django's collector refuses before any
    # SQL runs, so a refused delete leaves the transaction usable.
    pending = [kind for kind in all_kinds() if kind.namespace != "registry"]
    while pending:
        left = []
        for kind in pending:
            try:
                kind.model.objects.all().delete()
            except (ProtectedError, RestrictedError):
                left.append(kind)
        assert len(left) < len(pending), f"kinds that refer to each other: {[k.key for k in left]}"
        pending = left
    Place.objects.all().delete()
    User.objects.exclude(pk=keep.pk).delete()
    User.objects.filter(pk=keep.pk).update(organisation=None, enterprise=None)
    Person.objects.all().delete()
    Enterprise.objects.all().delete()
    Organisation.objects.all().delete()
    Industry.objects.all().delete()
    Area.objects.update(parent=None, township=None, county=None)
    Area.objects.all().delete()


def import_everything(user, files: dict, bulk=None) -> None:
    result = import_areas(user, files["areas"], filename="areas.geojson")
    assert result.ok, result.errors[:5]
    for kind, first_pass in IMPORT_ORDER:
        data = blank_columns(files[kind], PERSON_COLUMNS[kind]) if first_pass else files[kind]
        result = import_workbook(user, kind, data, filename=f"{kind}.xlsx",
                                 bulk=bulk if kind == "enterprises" else None)
        assert result.ok, (kind, result.file_error, result.errors[:5])


def links(user) -> dict:
    """Every responsible-person link, by natural keys, so two databases compare."""
    def who(person):
        return (person.name, person.id_number or person.phone) if person else None

    return {
        "safety_officer": {e.uscc: who(e.safety_officer) for e in Enterprise.objects.select_related("safety_officer")},
        "organisation": {o.code: (who(o.first_responsible), who(o.direct_responsible))
                         for o in Organisation.objects.select_related("first_responsible", "direct_responsible")},
        "place": {(p.name, p.township_id and p.township.code, p.place_type):
                  sorted(who(x) for x in p.responsible_persons.all())
                  for p in Place.objects.select_related("township").prefetch_related("responsible_persons")},
    }


@pytest.mark.parametrize("bulk", [False, True], ids=["service-path", "bulk-path"])
def test_export_import_into_empty_registry_then_export_again_gives_identical_files(world, bulk):
    give_places_responsible_persons(world.admin)
    linked_before = links(world.admin)
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
    assert links(admin) == linked_before


@pytest.mark.parametrize("kind,header", [("enterprises", "安全管理负责人"), ("organisations", "第一责任人"),
                                         ("organisations", "直接责任人"), ("places", "责任人")])
def test_ledgers_carry_responsible_persons(world, kind, header):
    give_places_responsible_persons(world.admin)
    rows = ledger_rows(ledger_bytes(world.admin, kind))
    column = rows[0].index(header)
    filled = [row[column] for row in rows[1:] if row[column]]
    assert filled
    assert all("/" in value for value in filled)


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
