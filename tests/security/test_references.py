"""References across scopes (issue 6, finding 1) and scope that fails closed.

A user may point a foreign key only at a record inside its own scope, or at a directory
record of the right kind; the reply is the same whether the target exists or not; names of
related records the viewer cannot see are not shown; a model without a scope declaration is
visible to nobody; a duplicate USCC / ID number never confirms where a record lives.
"""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.checks.registry import registry as checks_registry
from django.db import models
from django.test import Client
from django.test.utils import isolate_apps
from django.urls import reverse

from citysafe.accounts.models import Organisation
from citysafe.core import scope
from citysafe.core.models import Attachment, WorkflowEvent
from citysafe.registry import services
from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.models import Enterprise, Person, Place
from tests.api.conftest import EditingApi, field_errors
from tests.data_io.conftest import workbook_with_rows
from tests.data_io.test_import_errors import good_row, valid_uscc

NEUTRAL_USCC = "该统一社会信用代码不能使用：已登记或无权使用"
NEUTRAL_ID_NUMBER = "该身份证号码不能使用：已登记或无权使用"
NO_SUCH_ID = 10**9


@pytest.fixture
def api_as():
    return lambda user: EditingApi(user=user)


def first(queryset):
    return queryset.filter(archived_at__isnull=True).order_by("id").first()


def department_industries(world):
    return list(world.department.organisation.industries.values_list("pk", flat=True))


def outsider_without_enterprise(world) -> Person:
    """A person of township B who belongs to no enterprise (so the same-enterprise rule for a
    safety officer does not apply), registered by the admin."""
    return services.create_person(world.admin, {"name": "外乡镇人员甲", "phone": "13909391234",
                                                "township_id": world.township_b.pk})


# ---- pointing a record at another scope's record (API) ------------------------------

def test_township_cannot_point_its_person_at_another_townships_enterprise(world, api_as):
    person = first(Person.objects.filter(township=world.township_a))
    response = api_as(world.township_officer).patch(f"persons/{person.pk}", {"enterprise_id": world.enterprise_in_b.pk})

    assert field_errors(response) == {"enterprise_id": "not_found"}
    person.refresh_from_db()
    assert person.enterprise_id != world.enterprise_in_b.pk
    # …so the other township's enterprise officer gets nothing of it.
    officer = world.enterprise_in_b.officers.first()
    if officer is not None:
        assert api_as(officer).get(f"persons/{person.pk}").status_code == 404


def test_township_cannot_create_a_person_in_another_townships_enterprise(world, api_as):
    response = api_as(world.township_officer).post("persons", {
        "name": "越界人员", "phone": "13909390011", "township_id": world.township_a.pk,
        "enterprise_id": world.enterprise_in_b.pk})

    assert field_errors(response) == {"enterprise_id": "not_found"}
    assert not Person.objects.filter(name="越界人员").exists()


def test_township_cannot_make_another_townships_enterprise_the_owner_of_its_place(world, api_as):
    place = first(Place.objects.filter(township=world.township_a))
    response = api_as(world.township_officer).patch(f"places/{place.pk}",
                                                     {"owner_enterprise_id": world.enterprise_in_b.pk})

    assert field_errors(response) == {"owner_enterprise_id": "not_found"}
    place.refresh_from_db()
    assert place.owner_enterprise_id != world.enterprise_in_b.pk


def test_grid_worker_cannot_point_its_person_at_an_enterprise_outside_its_grids(world, api_as):
    person = first(Person.objects.filter(grid=world.grid))
    outside = first(Enterprise.objects.exclude(grid=world.grid))
    response = api_as(world.grid_worker).patch(f"persons/{person.pk}", {"enterprise_id": outside.pk})
    # A grid worker may not re-assign a person's enterprise at all (field limits) ...
    assert field_errors(response) == {"enterprise_id": "field_not_allowed"}
    # ... and a person it registers cannot be put in an enterprise outside its grids.
    response = api_as(world.grid_worker).post("persons", {"name": "网格登记人员", "phone": "13909391299",
                                                          "enterprise_id": outside.pk})
    assert field_errors(response) == {"enterprise_id": "not_found"}


def test_department_cannot_make_an_enterprise_outside_its_industries_the_owner_of_its_place(world, api_as):
    industries = department_industries(world)
    place = first(Place.objects.filter(industry__in=industries))
    outside = first(Enterprise.objects.exclude(industry__in=industries))
    response = api_as(world.department).patch(f"places/{place.pk}", {"owner_enterprise_id": outside.pk})

    assert field_errors(response) == {"owner_enterprise_id": "not_found"}


def test_enterprise_officer_cannot_name_a_person_it_cannot_see_as_safety_officer(world, api_as):
    outsider = outsider_without_enterprise(world)
    response = api_as(world.enterprise_officer).patch(f"enterprises/{world.enterprise.pk}",
                                                      {"safety_officer_id": outsider.pk})

    assert field_errors(response) == {"safety_officer_id": "not_found"}
    world.enterprise.refresh_from_db()
    assert world.enterprise.safety_officer_id != outsider.pk


def test_supervising_department_must_be_a_department(world, api_as):
    township_org = world.township_officer.organisation
    assert township_org.kind == Organisation.Kind.TOWNSHIP
    response = api_as(world.admin).patch(f"enterprises/{world.enterprise_in_a.pk}",
                                         {"supervising_department_id": township_org.pk})

    assert field_errors(response) == {"supervising_department_id": "not_found"}


def test_township_cannot_put_its_person_in_another_organisation(world, api_as):
    person = first(Person.objects.filter(township=world.township_a))
    response = api_as(world.township_officer).patch(
        f"persons/{person.pk}", {"organisation_id": world.other_department.organisation_id})

    assert field_errors(response) == {"organisation_id": "not_found"}


def test_reply_is_the_same_whether_the_target_exists_or_not(world, api_as):
    person = first(Person.objects.filter(township=world.township_a))
    api = api_as(world.township_officer)

    elsewhere = api.patch(f"persons/{person.pk}", {"enterprise_id": world.enterprise_in_b.pk})
    nowhere = api.patch(f"persons/{person.pk}", {"enterprise_id": NO_SUCH_ID})

    assert elsewhere.status_code == nowhere.status_code == 422
    assert elsewhere.json() == nowhere.json()


def test_an_unchanged_link_outside_the_scope_survives_an_edit_of_other_fields(world, api_as):
    """Regression guard for the design: a link an admin set stays when a township edits the record."""
    person = first(Person.objects.filter(township=world.township_a, enterprise__isnull=True))
    services.update_person(world.admin, person.pk, {"enterprise_id": world.enterprise_in_b.pk,
                                                    "township_id": world.township_a.pk})
    response = api_as(world.township_officer).patch(f"persons/{person.pk}", {
        "title": "安全员", "enterprise_id": world.enterprise_in_b.pk})

    assert response.status_code == 200, response.content
    assert response.json()["enterprise_id"] == world.enterprise_in_b.pk


# ---- names of related records ----------------------------------------------------------

def test_place_does_not_name_an_owner_enterprise_the_viewer_cannot_see(world, api_as, client):
    place = first(Place.objects.filter(township=world.township_a))
    services.update_place(world.admin, place.pk, {"owner_enterprise_id": world.enterprise_in_b.pk,
                                                  "township_id": world.township_a.pk})
    api = api_as(world.township_officer)

    assert api.get(f"places/{place.pk}").json()["owner_enterprise_name"] == ""
    listed = {item["id"]: item for item in api.get("places", q=place.name, limit=500).json()["items"]}
    assert listed[place.pk]["owner_enterprise_name"] == ""
    client.force_login(world.township_officer)
    assert world.enterprise_in_b.name not in client.get(reverse("registry:detail", args=["places", place.pk])).text
    assert world.enterprise_in_b.name not in client.get(reverse("registry:list", args=["places"]),
                                                        {"q": place.name}).text
    # The admin, who may see it, still reads the name.
    assert api_as(world.admin).get(f"places/{place.pk}").json()["owner_enterprise_name"] == world.enterprise_in_b.name


def test_enterprise_page_does_not_name_a_safety_officer_the_viewer_cannot_see(world):
    outsider = outsider_without_enterprise(world)
    services.update_enterprise(world.admin, world.enterprise.pk, {"safety_officer_id": outsider.pk})
    client = Client()
    client.force_login(world.enterprise_officer)

    page = client.get(reverse("registry:detail", args=["enterprises", world.enterprise.pk]))

    assert page.status_code == 200
    assert outsider.name not in page.text


# ---- duplicates do not confirm where a record lives -----------------------------------

def _new_enterprise(world, uscc):
    point = world.enterprise_in_a
    return {"name": "重复代码企业", "uscc": uscc, "industry_id": point.industry_id, "lon": point.lon, "lat": point.lat}


def _messages(response, field):
    assert response.status_code == 422, response.content
    return [item["msg"] for item in response.json()["detail"] if item["loc"][-1] == field]


def test_api_create_with_a_taken_uscc_gives_one_neutral_wording_inside_and_outside_the_scope(world, api_as):
    api = api_as(world.township_officer)
    outside = _messages(api.post("enterprises", _new_enterprise(world, world.enterprise_in_b.uscc)), "uscc")
    inside = _messages(api.post("enterprises", _new_enterprise(world, world.enterprise_in_a.uscc)), "uscc")

    assert outside == inside == [NEUTRAL_USCC]


def test_api_create_with_a_taken_id_number_gives_one_neutral_wording_inside_and_outside_the_scope(world, api_as):
    in_b = first(Person.objects.filter(township=world.township_b).exclude(id_number=""))
    in_a = first(Person.objects.filter(township=world.township_a).exclude(id_number=""))
    api = api_as(world.township_officer)

    def create(id_number):
        return api.post("persons", {"name": "重复证件", "phone": "13909390022", "id_number": id_number,
                                    "township_id": world.township_a.pk})

    assert _messages(create(in_b.id_number), "id_number") == _messages(create(in_a.id_number), "id_number") == [
        NEUTRAL_ID_NUMBER]


@pytest.mark.parametrize("bulk", [False, True], ids=["service-path", "bulk-path"])
def test_enterprise_import_of_another_townships_uscc_does_not_confirm_it_exists(world, bulk):
    row = good_row(world, uscc=world.enterprise_in_b.uscc)
    result = import_workbook(world.township_officer, "enterprises", workbook_with_rows("enterprises", [row]), bulk=bulk)

    assert [(e.header, e.message) for e in result.errors] == [("统一社会信用代码", NEUTRAL_USCC)]
    assert Enterprise.objects.get(pk=world.enterprise_in_b.pk).name == world.enterprise_in_b.name


def test_person_import_naming_another_townships_uscc_reads_as_an_unknown_one(world):
    def row(uscc):
        return {"姓名": "导入人员", "电话": "13909390033", "所属乡镇代码": world.township_a.code,
                "所在企业统一社会信用代码": uscc}

    elsewhere = import_workbook(world.township_officer, "persons",
                                workbook_with_rows("persons", [row(world.enterprise_in_b.uscc)]))
    nowhere = import_workbook(world.township_officer, "persons", workbook_with_rows("persons", [row(valid_uscc(77))]))

    assert [e.header for e in elsewhere.errors] == ["所在企业统一社会信用代码"]
    assert [e.message.replace(world.enterprise_in_b.uscc, "X") for e in elsewhere.errors] == [
        e.message.replace(valid_uscc(77), "X") for e in nowhere.errors]
    assert not Person.objects.filter(enterprise=world.enterprise_in_b, name="导入人员").exists()


def test_person_import_with_another_townships_id_number_does_not_confirm_it_exists(world):
    in_b = first(Person.objects.filter(township=world.township_b).exclude(id_number=""))
    row = {"姓名": "导入人员", "电话": "13909390044", "身份证号码": in_b.id_number, "所属乡镇代码": world.township_a.code}

    result = import_workbook(world.township_officer, "persons", workbook_with_rows("persons", [row]))

    assert [(e.header, e.message) for e in result.errors] == [("身份证号码", NEUTRAL_ID_NUMBER)]


# ---- scope fails closed ---------------------------------------------------------------

def test_a_model_without_a_scope_declaration_is_visible_to_nobody(world):
    assert ContentType.objects.exists()
    for user in (world.admin, world.leader, world.township_officer):
        assert not scope.narrow(user, ContentType.objects.all()).exists()
        assert not scope.contains(user, ContentType.objects.first())


def test_attachments_and_workflow_events_are_not_readable_county_wide(world):
    attachment = Attachment.objects.create(file="attachments/x.pdf", storage_name="x.pdf", original_name="报告.pdf",
                                           content_type="application/pdf", size=1, sha256="0" * 64,
                                           uploaded_by=world.admin)
    event = WorkflowEvent.objects.create(workflow="enterprise_status", object_type="registry.Enterprise",
                                         object_id=str(world.enterprise_in_b.pk), transition="suspend",
                                         from_state="operating", to_state="suspended", actor=world.admin)
    for user in (world.township_officer, world.grid_worker, world.enterprise_officer, world.department):
        assert not scope.narrow(user, Attachment.objects.filter(pk=attachment.pk)).exists()
        assert not scope.narrow(user, WorkflowEvent.objects.filter(pk=event.pk)).exists()
    assert scope.narrow(world.admin, Attachment.objects.filter(pk=attachment.pk)).exists()


def test_system_check_refuses_a_model_that_declares_no_scope():
    from citysafe.core.checks import check_scope_declared, scope_problems

    with isolate_apps("citysafe.core"):
        class Undeclared(models.Model):
            note = models.CharField(max_length=10)

            class Meta:
                app_label = "core"

        Undeclared.__module__ = "citysafe.core.models"
        assert [e.id for e in scope_problems([Undeclared])] == ["citysafe.E001"]
    # Registered (core's AppConfig.ready), and every model of our apps passes it today.
    assert check_scope_declared in checks_registry.get_checks()
    assert check_scope_declared() == []


def test_system_check_refuses_a_reference_without_a_rule():
    from citysafe.core.checks import scope_problems
    from citysafe.core.scope_fields import PUBLIC

    with isolate_apps("citysafe.core"):
        class Linked(models.Model):
            owner = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE)
            other = models.ForeignKey("registry.Industry", on_delete=models.CASCADE)
            scope = PUBLIC
            references = {}

            class Meta:
                app_label = "core"

        Linked.__module__ = "citysafe.core.models"
        assert sorted(e.id for e in scope_problems([Linked])) == ["citysafe.E004", "citysafe.E004"]


def test_ledger_does_not_name_an_enterprise_the_exporter_cannot_see(world):
    from tests.data_io.conftest import ledger_record

    person = first(Person.objects.filter(township=world.township_a, enterprise__isnull=True))
    services.update_person(world.admin, person.pk, {"enterprise_id": world.enterprise_in_b.pk,
                                                    "township_id": world.township_a.pk})

    record = ledger_record(world.township_officer, "persons", {"姓名": person.name, "电话": person.phone})

    assert record["所在企业统一社会信用代码"] in (None, "")
    assert ledger_record(world.admin, "persons", {"姓名": person.name, "电话": person.phone})[
        "所在企业统一社会信用代码"] == world.enterprise_in_b.uscc
