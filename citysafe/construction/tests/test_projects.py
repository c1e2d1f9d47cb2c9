"""Construction projects: scope (township, housing bureau, builder and contractor), the site's
township, masked phones, workbook export, and site inspections through the hazards checklists."""
from citysafe.accounts.models import User
from citysafe.construction.models import ConstructionProject
from citysafe.construction.services.site_inspections import assign_site_inspection, site_template
from citysafe.hazards.models import Hazard
from citysafe.hazards.services.inspections import submit_inspection
from citysafe.registry.models import Place
from tests.api.conftest import Api
from tests.data_io.conftest import ledger_bytes, ledger_rows


def test_the_housing_bureau_and_the_township_see_the_project_other_departments_and_townships_do_not(world, site):
    path = f"construction-projects/{site.project.pk}"
    assert Api(site.zjj).get(path).status_code == 200
    assert Api(world.township_officer).get(path).status_code == 200
    assert Api(world.department).get(path).status_code == 404          # 应急管理局: not its industry
    assert Api(world.other_township_officer).get(path).status_code == 404


def test_builder_and_contractor_officers_see_their_project(world, site):
    for enterprise_id in (site.project.builder_id, site.project.contractor_id):
        officer = User.objects.create_user(f"ent{enterprise_id}", password="x-Strong-1", role="enterprise",
                                           enterprise_id=enterprise_id)
        ids = [p["id"] for p in Api(officer).get("construction-projects").json()["items"]]
        assert site.project.pk in ids


def test_only_the_housing_bureau_among_departments_registers_projects(world, site):
    data = {"code": "JS-NEW-1", "name": "新建项目", "builder_id": site.project.builder_id,
            "contractor_id": site.project.contractor_id, "site_id": site.project.site_id}
    assert Api(world.department).post("construction-projects", data).status_code == 403
    created = Api(site.zjj).post("construction-projects", data)
    assert created.status_code == 201, created.content
    assert created.json()["township_id"] == site.project.township_id  # where its site lies


def test_a_township_cannot_register_a_project_on_another_townships_site(world, site):
    other_site = Place.objects.filter(place_type="construction_site", township=world.township_b).first()
    answer = Api(world.township_officer).post("construction-projects", {
        "code": "JS-NEW-2", "name": "越界项目", "builder_id": site.project.builder_id,
        "contractor_id": site.project.contractor_id, "site_id": other_site.pk})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "site_id"]
    assert not ConstructionProject.objects.filter(code="JS-NEW-2").exists()


def test_phones_of_the_projects_people_are_masked_in_list_and_detail(world, site):
    api = Api(world.township_officer)
    detail = api.get(f"construction-projects/{site.project.pk}").json()
    listed = next(p for p in api.get("construction-projects").json()["items"] if p["id"] == site.project.pk)
    assert detail["project_manager_phone"] == listed["project_manager_phone"] == "138****1234"


def test_the_project_ledger_exports_the_townships_projects(world, site):
    rows = ledger_rows(ledger_bytes(world.township_officer, "construction-projects"))
    codes = {r[0] for r in rows[1:]}
    assert site.project.code in codes
    assert codes == set(ConstructionProject.objects.filter(township=world.township_a).values_list("code", flat=True))


def test_a_failed_site_inspection_item_becomes_a_hazard_of_the_site(world, site):
    task = assign_site_inspection(world.township_officer, site.project, assignee_id=world.township_officer.pk,
                                  due_on=__import__("datetime").date.today())
    template = site_template()
    results = [{"ok": True, "note": ""} for _ in template.items]
    results[1] = {"ok": False, "note": "基坑支护方案未经审批"}
    inspection, hazards = submit_inspection(world.township_officer, template_id=template.pk,
                                            place_id=site.project.site_id, task_id=task.pk, results=results)
    assert inspection.failed == 1 and len(hazards) == 1
    assert Hazard.objects.get(pk=hazards[0].pk).place_id == site.project.site_id
    assert "建设工程安全生产管理条例 第二十六条" in hazards[0].description


def test_the_project_page_shows_works_permits_and_starts_a_site_inspection(client, world, site):
    from django.urls import reverse

    from citysafe.hazards.inspection_models import InspectionTask

    client.force_login(world.township_officer)
    page = client.get(reverse("construction:detail", args=["construction-projects", site.project.pk]))
    assert page.status_code == 200
    assert site.project.works.first().name in page.text and site.project.permits.first().code in page.text
    assert "138****1234" in page.text and "13893001234" not in page.text
    answer = client.post(reverse("construction:assign_inspection", args=[site.project.pk]),
                         {"due_on": __import__("datetime").date.today().isoformat()})
    task = InspectionTask.objects.filter(place_id=site.project.site_id).latest("id")
    assert answer.status_code == 302 and answer.url == reverse("hazards:inspect", args=[task.pk])
    assert client.get(answer.url).status_code == 200
