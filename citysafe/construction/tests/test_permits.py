"""Work permits (作业票): draft → approved → in progress → closed / cancelled, with the validity
window, the approver who is not the applicant, and the gas test where the rules table asks."""
from datetime import timedelta

from django.utils import timezone

from citysafe.construction.models import PermitKind, WorkPermit
from citysafe.construction.services.dig import excavation_dig_check
from tests.api.conftest import Api


def step(api, permit, transition, version, **extra):
    return api.post(f"work-permits/{permit.pk}/transitions",
                    {"transition": transition, "expected_version": version, **extra})


def test_a_confined_space_permit_goes_from_draft_to_closed_with_a_gas_test(world, site):
    permit = site.permit("confined_space")
    township = Api(world.township_officer)
    approved = step(township, permit, "approve", permit.version)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["approver_id"] == world.township_officer.pk
    started = step(township, permit, "start", approved.json()["version"],
                   changes={"oxygen_percent": 20.8, "combustible_percent_lel": 0, "toxic_ppm": 1})
    assert started.status_code == 200, started.content
    assert started.json()["gas_tested_at"] and started.json()["oxygen_percent"] == 20.8
    closed = step(township, permit, "close", started.json()["version"], note="作业完毕，现场清理")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_the_applicant_cannot_approve_their_own_permit(world, site):
    permit = site.permit()
    assert permit.applicant_id == world.admin.pk
    answer = step(Api(world.admin), permit, "approve", permit.version)
    assert answer.status_code == 422 and "审批人不能是申请人" in answer.json()["detail"][0]["msg"]
    permit.refresh_from_db()
    assert (permit.status, permit.version, permit.approver_id) == ("draft", 1, None)


def test_starting_before_the_validity_window_is_refused_naming_the_rule_and_nothing_changes(world, site):
    permit = site.permit(start=2)  # valid from two hours from now
    township = Api(world.township_officer)
    version = step(township, permit, "approve", permit.version).json()["version"]
    answer = step(township, permit, "start", version)
    assert answer.status_code == 422
    assert "不在作业票有效期内" in answer.json()["detail"][0]["msg"]
    assert "危险作业须在作业票有效期内进行" in answer.json()["detail"][0]["msg"]
    permit.refresh_from_db()
    assert (permit.status, permit.version) == ("approved", version)


def test_an_expired_permit_cannot_be_approved(world, site):
    permit = site.permit(start=-10, hours=6)
    answer = step(Api(world.township_officer), permit, "approve", permit.version)
    assert answer.status_code == 422 and "已过有效期" in answer.json()["detail"][0]["msg"]
    assert WorkPermit.objects.get(pk=permit.pk).status == "draft"


def test_a_failed_gas_test_refuses_the_start_naming_the_limit(world, site):
    permit = site.permit("confined_space")
    township = Api(world.township_officer)
    version = step(township, permit, "approve", permit.version).json()["version"]
    answer = step(township, permit, "start", version, changes={"oxygen_percent": 18.0, "combustible_percent_lel": 0,
                                                               "toxic_ppm": 0})
    assert answer.status_code == 422
    message = answer.json()["detail"][0]["msg"]
    assert "气体检测不合格" in message and "19.5–23.5" in message and "GB 30871" in message
    permit.refresh_from_db()
    assert (permit.status, permit.oxygen_percent, permit.gas_tested_at) == ("approved", None, None)


def test_hot_work_needs_a_gas_test_only_in_a_hazardous_area(world, site):
    township = Api(world.township_officer)
    plain = site.permit("hot_work")
    version = step(township, plain, "approve", plain.version).json()["version"]
    assert step(township, plain, "start", version).status_code == 200
    hazardous = site.permit("hot_work", in_hazardous_area=True)
    version = step(township, hazardous, "approve", hazardous.version).json()["version"]
    answer = step(township, hazardous, "start", version)
    assert answer.status_code == 422 and "未填写氧含量" in answer.json()["detail"][0]["msg"]


def test_a_window_longer_than_the_kind_allows_is_refused_on_valid_to(world, site):
    now = timezone.now()
    answer = Api(world.township_officer).post("work-permits", {
        "project_id": site.project.pk, "code": "T-LONG", "kind": "hot_work", "work_location": "2#楼",
        "valid_from": now.isoformat(), "valid_to": (now + timedelta(hours=30)).isoformat()})
    assert answer.status_code == 422
    detail = answer.json()["detail"][0]
    assert detail["loc"] == ["body", "valid_to"] and "不得超过8小时" in detail["msg"]
    assert not WorkPermit.objects.filter(code="T-LONG").exists()


def test_the_contractors_officer_keeps_permits_and_another_township_sees_none(world, site):
    from citysafe.accounts.models import User

    contractor_officer = User.objects.filter(enterprise_id=site.project.contractor_id).first()
    if contractor_officer is not None:
        assert Api(contractor_officer).get(f"work-permits/{site.project.permits.first().pk}").status_code == 200
    assert Api(world.other_township_officer).get(f"work-permits/{site.project.permits.first().pk}").status_code == 404


def test_a_permit_that_digs_nothing_has_no_dig_check(site):
    assert excavation_dig_check(site.permit("height")) is None


def test_an_excavation_permit_runs_the_siting_dig_check_over_its_site(world, site, client):
    from shapely.geometry import shape

    from citysafe.siting.services.underground import create_line

    # A gas main drawn through the site's own representative point: within 5 m by construction.
    point = shape(site.project.site.geometry).representative_point()
    line = create_line(world.admin, {"code": "DIG-T-1", "line_kind": "gas", "depth_m": 1.2, "data_source": "测试",
                                     "geometry": {"type": "LineString", "coordinates": [
                                         [point.x - 0.0002, point.y], [point.x + 0.0002, point.y]]}})
    permit = site.permit(PermitKind.EXCAVATION)
    check = excavation_dig_check(permit, world.admin)
    assert line.pk in [h.id for h in check.hits if h.record == "line"]
    client.force_login(world.admin)
    page = client.get(f"/construction/work-permits/{permit.pk}/").content.decode()
    assert "动土前地下管线核查" in page and "DIG-T-1" in page


def test_the_contractors_safety_officer_issues_a_permit_and_the_builders_cannot(world, site):
    from citysafe.accounts.models import User

    now = timezone.now()
    data = {"project_id": site.project.pk, "kind": "height", "work_location": "5#楼外架",
            "valid_from": now.isoformat(), "valid_to": (now + timedelta(hours=4)).isoformat()}
    contractor = User.objects.create_user("ent_contractor", password="x-Strong-1", role="enterprise",
                                          enterprise_id=site.project.contractor_id)
    created = Api(contractor).post("work-permits", {**data, "code": "T-ENT-1"})
    assert created.status_code == 201, created.content
    assert created.json()["applicant_id"] == contractor.pk
    builder = User.objects.create_user("ent_builder", password="x-Strong-1", role="enterprise",
                                       enterprise_id=site.project.builder_id)
    refused = Api(builder).post("work-permits", {**data, "code": "T-ENT-2"})
    assert refused.status_code == 422 and not WorkPermit.objects.filter(code="T-ENT-2").exists()
