"""Responsible persons (实名制) in the workbooks: named as "姓名/身份证号码" or "姓名/电话",
resolved within the importing user's scope, reported on their cell when unknown."""
import json

import pytest

from citysafe.accounts.models import Organisation
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.export import geojson_chunks
from citysafe.registry.models import Enterprise, Person, Place
from citysafe.registry.services import create_person, update_place
from tests.data_io.conftest import ledger_record, workbook_with_rows
from tests.data_io.test_import_errors import good_row, valid_uscc

PATHS = pytest.mark.parametrize("bulk", [False, True], ids=["service-path", "bulk-path"])


def place_match(place) -> dict:
    return {"名称": place.name, "所属乡镇代码": place.township.code, "类型": place.get_place_type_display()}


def officer_of(enterprise) -> Person:
    return Person.objects.get(pk=enterprise.safety_officer_id)


def other_person_of(world, enterprise) -> Person:
    """A second person of the enterprise, without an ID number (named by name + phone)."""
    return create_person(world.admin, {"name": "马安全", "phone": "13909390001", "enterprise_id": enterprise.pk,
                                       "township_id": enterprise.township_id, "grid_id": enterprise.grid_id})


@PATHS
def test_reimported_enterprise_takes_the_named_safety_officer(world, bulk):
    enterprise = world.enterprise_in_a
    new_officer = other_person_of(world, enterprise)
    record = ledger_record(world.admin, "enterprises", {"统一社会信用代码": enterprise.uscc})
    assert record["安全管理负责人"] == f"{officer_of(enterprise).name}/{officer_of(enterprise).id_number}"
    record["安全管理负责人"] = "马安全/13909390001"

    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [record]), bulk=bulk)

    assert result.ok, result.errors
    assert Enterprise.objects.get(pk=enterprise.pk).safety_officer_id == new_officer.pk


@PATHS
def test_empty_safety_officer_cell_leaves_the_officer_unchanged(world, bulk):
    enterprise = world.enterprise_in_a
    record = ledger_record(world.admin, "enterprises", {"统一社会信用代码": enterprise.uscc})
    record["安全管理负责人"] = None
    record["企业名称"] = "东乡县改名后的企业"

    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [record]), bulk=bulk)

    assert result.ok, result.errors
    stored = Enterprise.objects.get(pk=enterprise.pk)
    assert (stored.name, stored.safety_officer_id) == ("东乡县改名后的企业", enterprise.safety_officer_id)


@PATHS
def test_unknown_safety_officer_is_reported_on_its_cell_and_nothing_is_stored(world, bulk):
    officer = officer_of(world.enterprise_in_a)
    rows = [good_row(world),
            good_row(world, uscc=valid_uscc(2), 安全管理负责人="查无此人/13900000000"),
            good_row(world, uscc=valid_uscc(3), 安全管理负责人=f"别的名字/{officer.id_number}"),
            good_row(world, uscc=valid_uscc(4), 安全管理负责人="没有斜杠")]

    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", rows), bulk=bulk)

    assert not result.ok
    assert {(e.row, e.header) for e in result.errors} == {(3, "安全管理负责人"), (4, "安全管理负责人"),
                                                          (5, "安全管理负责人")}
    assert all("姓名/身份证号码" in e.message for e in result.errors)
    assert not Enterprise.objects.filter(uscc__in=[valid_uscc(n) for n in range(1, 5)]).exists()


def test_person_outside_the_importers_scope_is_unknown(world):
    enterprise = world.enterprise_in_a
    outsider = officer_of(world.enterprise_in_b)
    record = ledger_record(world.township_officer, "enterprises", {"统一社会信用代码": enterprise.uscc})
    record["安全管理负责人"] = f"{outsider.name}/{outsider.id_number}"

    result = import_workbook(world.township_officer, "enterprises", workbook_with_rows("enterprises", [record]))

    assert [(e.header, "不在您的数据范围内" in e.message) for e in result.errors] == [("安全管理负责人", True)]
    assert Enterprise.objects.get(pk=enterprise.pk).safety_officer_id == enterprise.safety_officer_id


def test_township_officers_ledger_leaves_persons_it_cannot_see_blank(world):
    place = Place.objects.filter(township=world.township_a).order_by("id").first()
    inside, outside = officer_of(world.enterprise_in_a), officer_of(world.enterprise_in_b)
    update_place(world.admin, place.pk, {"responsible_person_ids": [inside.pk, outside.pk]})
    record = ledger_record(world.township_officer, "places", place_match(place))
    assert record["责任人"] == f"{inside.name}/{inside.id_number}"


def test_place_responsible_persons_are_set_from_the_cell(world):
    place = Place.objects.filter(township=world.township_a).order_by("id").first()
    first, second = officer_of(world.enterprise_in_a), other_person_of(world, world.enterprise_in_a)
    record = ledger_record(world.admin, "places", place_match(place))
    record["责任人"] = f"{first.name}/{first.id_number}；{second.name}/{second.phone}"

    result = import_workbook(world.admin, "places", workbook_with_rows("places", [record]))

    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    assert set(place.responsible_persons.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_unknown_place_responsible_person_stores_nothing(world):
    place = Place.objects.filter(township=world.township_a).order_by("id").first()
    known = officer_of(world.enterprise_in_a)
    record = ledger_record(world.admin, "places", place_match(place))
    record["责任人"] = f"{known.name}/{known.id_number}；无名氏/13900000000"

    result = import_workbook(world.admin, "places", workbook_with_rows("places", [record]))

    assert [(e.row, e.header) for e in result.errors] == [(2, "责任人")]
    assert "无名氏/13900000000" in result.errors[0].message
    assert not place.responsible_persons.exists()


def test_organisation_responsible_persons_are_set_and_unknown_ones_refused(world):
    org = world.township_officer.organisation
    first, direct = Person.objects.filter(organisation=org).order_by("id")[:2]
    record = ledger_record(world.admin, "organisations", {"编码": org.code})
    assert (record["第一责任人"], record["直接责任人"]) == (f"{first.name}/{first.phone}", f"{direct.name}/{direct.phone}")
    record["第一责任人"], record["直接责任人"] = record["直接责任人"], "不存在的人/13900000000"

    refused = import_workbook(world.admin, "organisations", workbook_with_rows("organisations", [record]))
    assert [(e.row, e.header) for e in refused.errors] == [(2, "直接责任人")]
    assert Organisation.objects.get(pk=org.pk).first_responsible_id == first.pk

    record["直接责任人"] = f"{first.name}/{first.phone}"
    swapped = import_workbook(world.admin, "organisations", workbook_with_rows("organisations", [record]))
    assert swapped.ok, swapped.errors
    stored = Organisation.objects.get(pk=org.pk)
    assert (stored.first_responsible_id, stored.direct_responsible_id) == (direct.pk, first.pk)


def test_two_persons_with_the_same_name_and_phone_must_be_named_by_id_number(world):
    enterprise = world.enterprise_in_a
    twin = officer_of(enterprise)
    create_person(world.admin, {"name": twin.name, "phone": twin.phone, "enterprise_id": enterprise.pk,
                                "township_id": enterprise.township_id})
    record = ledger_record(world.admin, "enterprises", {"统一社会信用代码": enterprise.uscc})
    record["安全管理负责人"] = f"{twin.name}/{twin.phone}"

    result = import_workbook(world.admin, "enterprises", workbook_with_rows("enterprises", [record]))

    assert [e.header for e in result.errors] == ["安全管理负责人"]
    assert "多名人员" in result.errors[0].message


def test_geojson_export_carries_the_responsible_persons(world):
    place = Place.objects.order_by("id").first()
    officer = officer_of(world.enterprise_in_a)
    update_place(world.admin, place.pk, {"responsible_person_ids": [officer.pk]})

    places = json.loads("".join(geojson_chunks(world.admin, "places")))["features"]
    enterprises = json.loads("".join(geojson_chunks(world.admin, "enterprises")))["features"]

    assert places[0]["properties"]["responsible_persons"] == f"{officer.name}/{officer.id_number}"
    by_uscc = {f["properties"]["uscc"]: f["properties"] for f in enterprises}
    assert by_uscc[world.enterprise_in_a.uscc]["safety_officer"] == f"{officer.name}/{officer.id_number}"


def test_template_guide_gives_the_import_order_and_the_person_rule(world):
    import io

    from openpyxl import load_workbook

    from citysafe.registry.io.templates import build_template

    guide = load_workbook(io.BytesIO(build_template("organisations")))["说明"]
    lines = [row[0] or "" for row in guide.iter_rows(values_only=True)]
    rules = {row[0]: row[2] for row in guide.iter_rows(values_only=True)}
    assert any(line.startswith("5. 导入顺序") and "⑤人员" in line and "⑦再次导入组织机构、企业" in line for line in lines)
    assert "姓名/身份证号码" in rules["第一责任人"] and "空白时不改变" in rules["直接责任人"]
