"""Registry forms, lists and the enterprise workflow, as a user sees them in the pages."""
from django.urls import reverse

from citysafe.core.audit_models import AuditRecord
from citysafe.core.models import WorkflowEvent
from citysafe.registry.kinds import KINDS
from citysafe.registry.models import Enterprise, Person, Place
from kernels.codes import uscc_check_character
from tests.pages.helpers import audits_for, form_payload

RESOURCES = {kind.key: kind for kind in KINDS if kind.form is not None}  # the kinds with pages


def _new_enterprise_payload(world, uscc):
    ent = world.enterprise_in_a
    return {"name": "新建化工有限公司", "uscc": uscc, "industry_id": ent.industry_id, "scale": "small",
            "address": "工业园1号", "lon": ent.lon, "lat": ent.lat, "township_id": "", "grid_id": "",
            "supervising_department_id": "", "legal_representative": "张三", "standardisation_grade": "none"}


def _valid_uscc(body="91622926MA0000001"):
    return body + uscc_check_character(body)


def test_bad_uscc_shows_the_field_error_and_stores_nothing(client, world):
    client.force_login(world.township_officer)
    audits = AuditRecord.objects.count()
    bad = _valid_uscc()[:-1] + ("0" if _valid_uscc()[-1] != "0" else "1")
    response = client.post(reverse("registry:create", args=["enterprises"]), _new_enterprise_payload(world, bad))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "uscc" in errors and "校验码" in errors["uscc"][0]
    assert 'id="field-uscc"' in response.text and "校验码错误" in response.text
    assert not Enterprise.objects.filter(uscc=bad).exists()
    assert AuditRecord.objects.count() == audits


def test_valid_enterprise_is_created_in_the_officers_township(client, world):
    client.force_login(world.township_officer)
    uscc = _valid_uscc()
    response = client.post(reverse("registry:create", args=["enterprises"]), _new_enterprise_payload(world, uscc))
    assert response.status_code == 302
    created = Enterprise.objects.get(uscc=uscc)
    assert created.township == world.township_a
    assert audits_for(created, action="create").exists()


def test_enterprise_outside_township_is_refused_naming_the_reason(client, world):
    client.force_login(world.township_officer)
    payload = {**_new_enterprise_payload(world, _valid_uscc()), "lon": world.enterprise_in_b.lon,
               "lat": world.enterprise_in_b.lat}
    response = client.post(reverse("registry:create", args=["enterprises"]), payload)
    assert response.status_code == 200  # the form again, with what was typed and why it was refused
    assert response.context["form"].errors["township_id"] == [
        f"保存后该记录将位于您的管辖范围（{world.township_a.name}）之外：请检查位置和所属区域"]
    assert response.context["form"]["name"].value() == payload["name"]
    assert not Enterprise.objects.filter(uscc=_valid_uscc()).exists()


def test_duplicate_uscc_error_names_the_field(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("registry:create", args=["enterprises"]),
                           _new_enterprise_payload(world, world.enterprise_in_b.uscc))
    assert "已登记或无权使用" in response.context["form"].errors["uscc"][0]


def test_enterprise_officer_edits_only_contact_fields(client, world):
    client.force_login(world.enterprise_officer)
    url = reverse("registry:edit", args=["enterprises", world.enterprise.pk])
    form = client.get(url).context["form"]
    assert "uscc" not in form.fields and "address" in form.fields
    payload = {**form_payload(RESOURCES["enterprises"].form.initial_from(world.enterprise)),
               "address": "自报新地址", "name": "改名企图"}
    assert client.post(url, payload).status_code == 302
    world.enterprise.refresh_from_db()
    assert world.enterprise.address == "自报新地址"
    assert world.enterprise.name != "改名企图"


def test_person_id_number_is_masked_in_lists_and_for_roles_that_cannot_change_persons(client, world):
    person = Person.objects.exclude(id_number="").filter(township=world.township_a).order_by("id").first()
    list_url = reverse("registry:list", args=["persons"])
    detail_url = reverse("registry:detail", args=["persons", person.pk])
    client.force_login(world.township_officer)
    assert person.id_number not in client.get(list_url, {"q": person.phone}).text
    assert person.id_number in client.get(detail_url).text
    client.force_login(world.leader)
    detail = client.get(detail_url).text
    assert person.id_number not in detail and person.id_number[-4:] in detail


def test_htmx_filter_returns_only_the_table(client, world):
    client.force_login(world.admin)
    url = reverse("registry:list", args=["enterprises"])
    partial = client.get(url, {"township_id": world.township_b.pk}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.text and "<table" in partial.text
    townships = {obj.township_id for obj, _ in partial.context["rows"]}
    assert townships == {world.township_b.pk}
    full = client.get(url)
    assert "<html" in full.text and 'hx-get="' in full.text


def test_list_ignores_filters_outside_the_users_scope(client, world):
    client.force_login(world.township_officer)
    response = client.get(reverse("registry:list", args=["enterprises"]), {"township_id": world.township_b.pk})
    assert {obj.township_id for obj, _ in response.context["rows"]} == {world.township_a.pk}


def test_place_can_be_registered_with_lon_lat_helper(client, world):
    client.force_login(world.township_officer)
    ent = world.enterprise_in_a
    response = client.post(reverse("registry:create", args=["places"]), {
        "name": "农贸市场A", "place_type": "market", "geometry": "", "lon": ent.lon, "lat": ent.lat})
    assert response.status_code == 302
    place = Place.objects.get(name="农贸市场A")
    assert place.geometry == {"type": "Point", "coordinates": [ent.lon, ent.lat]}
    assert place.township == world.township_a
    detail = client.get(reverse("registry:detail", args=["places", place.pk]))
    assert 'id="record-geometry"' in detail.text


def test_place_with_bad_geometry_shows_geometry_error(client, world):
    client.force_login(world.township_officer)
    response = client.post(reverse("registry:create", args=["places"]), {
        "name": "坏几何", "place_type": "market", "geometry": '{"type": "Point", "coordinates": [0, 0]}'})
    assert response.status_code == 200
    assert response.context["form"].errors["geometry"]
    assert not Place.objects.filter(name="坏几何").exists()


def test_enterprise_status_workflow_from_detail_page(client, world):
    ent = world.enterprise_in_a
    client.force_login(world.township_officer)
    detail_url = reverse("registry:detail", args=["enterprises", ent.pk])
    detail = client.get(detail_url)
    names = {t.name for t in detail.context["transitions"]}
    assert "suspend" in names and "close" not in names  # closing is for admins and departments
    url = reverse("registry:transition", args=[ent.pk])
    refused = client.post(url, {"transition": "suspend", "version": ent.version, "note": ""}, follow=True)
    assert "必须填写说明" in refused.text
    client.post(url, {"transition": "suspend", "version": ent.version, "note": "消防整改"})
    ent.refresh_from_db()
    assert ent.operating_status == Enterprise.OperatingStatus.SUSPENDED
    event = WorkflowEvent.objects.get(object_type="registry.Enterprise", object_id=str(ent.pk))
    assert event.note == "消防整改"
    assert audits_for(ent, action="transition:suspend").exists()
    history = client.get(detail_url).text
    assert "消防整改" in history and "停产整顿" in history
    stale = client.post(url, {"transition": "resume", "version": ent.version - 1}, follow=True)
    assert "已被他人修改" in stale.text


def test_transition_on_enterprise_of_another_township_is_404(client, world):
    client.force_login(world.township_officer)
    ent = world.enterprise_in_b
    response = client.post(reverse("registry:transition", args=[ent.pk]), {"transition": "suspend", "note": "x"})
    assert response.status_code == 404
    ent.refresh_from_db()
    assert ent.operating_status == Enterprise.OperatingStatus.OPERATING


def test_admin_edits_department_industry_map(client, world):
    org = world.other_department.organisation
    industry = world.enterprise_in_a.industry
    client.force_login(world.admin)
    url = reverse("registry:edit", args=["organisations", org.pk])
    payload = form_payload(RESOURCES["organisations"].form.initial_from(org))
    payload["industry_ids"] = [*payload["industry_ids"], industry.pk]
    assert client.post(url, payload).status_code == 302
    assert industry in org.industries.all()
    listing = client.get(reverse("registry:list", args=["organisations"]), {"q": org.code}).text
    assert industry.name in listing


def test_unknown_resource_and_record_are_chinese_404(client, world):
    client.force_login(world.admin)
    response = client.get("/registry/nothing/")
    assert response.status_code == 404 and "页面不存在" in response.text
    assert client.get(reverse("registry:detail", args=["enterprises", 10**9])).status_code == 404


def test_forbidden_action_is_chinese_403(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("registry:edit", args=["enterprises", world.enterprise_in_a.pk]))
    assert response.status_code == 403 and "无权操作" in response.text


def test_list_pages_use_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    """Rows are loaded with their related names in one go, not one query per row."""
    client.force_login(world.admin)
    for resource in RESOURCES:
        with django_assert_max_num_queries(10):
            assert client.get(reverse("registry:list", args=[resource])).status_code == 200
