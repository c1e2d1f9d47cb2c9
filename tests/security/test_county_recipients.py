"""Whom a record's notifications reach in a deployment of two counties (issue 19): the county
office (admins, leaders) and the industry's departments of the record's OWN county — never the
other county's, though the counties share the industry list. Each builder of recipients is
asked about one record of county B (广河县) and one of county A (东乡县, the home county)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from citysafe.accounts.models import Organisation, User
from citysafe.assessment.models import PolicyTarget
from citysafe.assessment.services.targets import warn_overdue
from citysafe.core.roles import Role
from citysafe.core.workflow.deadlines import Step
from citysafe.enforcement.models import Case
from citysafe.enforcement.services.notices import people_of as case_people
from citysafe.hazards.models import Hazard
from citysafe.hazards.services.notices import people_of as hazard_people
from citysafe.monitoring.models import Alarm, Sensor
from citysafe.monitoring.services.alarms import recipients_of
from citysafe.notifications.models import Notification
from citysafe.registry.models import Area, Enterprise
from citysafe.registry.workflows import notify_suspension_deadline
from citysafe.risks.models import Assessment, RiskPoint
from citysafe.risks.services.reminders import _recipients as risk_reminder_people
from citysafe.risks.workflows import _reviewers
from tests.security.county_paths_world import second_county_gas_sensor
from tests.security.test_county_system_jobs import HOME, SECOND, two  # noqa: F401

A_PEOPLE = {"admin", "leader", "dept_yjj"}
B_PEOPLE = {"gh_admin", "gh_leader", "gh_dept_yjj"}


def _names(users) -> set[str]:
    return {u.username for u in users}


def _enterprise(code: str) -> Enterprise:
    """An enterprise of the county whose industry the county's 应急管理局 regulates."""
    industries = Organisation.objects.get(code="gh_yjj").industries.all()
    return Enterprise.objects.filter(township__county__code=code, industry__in=industries).order_by("pk").first()


def _place(record, enterprise):
    record.township_id, record.industry_id = enterprise.township_id, enterprise.industry_id
    return record


def _is_own(found: set[str], code: str, roles: set[str]):
    own, other = (A_PEOPLE, B_PEOPLE) if code == HOME else (B_PEOPLE, A_PEOPLE)
    assert roles & own <= found, f"{code}: missing {roles & own - found}"
    assert not found & other, f"{code}: the other county's {found & other} told"


@pytest.mark.parametrize("code", [SECOND, HOME])
def test_a_hazard_notice_reaches_its_own_countys_department_and_office_only(two, code):  # noqa: F811
    enterprise = _enterprise(code)
    hazard = _place(Hazard(owner_enterprise_id=enterprise.pk), enterprise)
    found = _names(hazard_people(hazard, roles=(Role.DEPARTMENT, Role.ADMIN)))
    _is_own(found, code, {"admin", "gh_admin", "dept_yjj", "gh_dept_yjj"})


@pytest.mark.parametrize("code", [SECOND, HOME])
def test_an_escalated_alarm_reaches_its_own_countys_admins_and_leaders_only(two, code):  # noqa: F811
    sensor = second_county_gas_sensor("GH-GAS-TEST-1") if code == SECOND else Sensor.objects.filter(
        township__county__code=HOME).order_by("pk").first()
    found = _names(recipients_of(Alarm(sensor=sensor), escalated=True))
    _is_own(found, code, {"admin", "gh_admin", "leader", "gh_leader"})


@pytest.mark.parametrize("code", [SECOND, HOME])
def test_a_risk_reassessment_reminder_reaches_its_own_countys_department_only(two, code):  # noqa: F811
    point = _place(RiskPoint(), _enterprise(code))
    _is_own(_names(risk_reminder_people(point)), code, {"dept_yjj", "gh_dept_yjj"})


@pytest.mark.parametrize("code", [SECOND, HOME])
def test_a_risk_assessment_for_review_reaches_its_own_countys_reviewers_only(two, code):  # noqa: F811
    point = _place(RiskPoint(), _enterprise(code))
    _is_own(_names(_reviewers(Assessment(risk_point=point))), code, {"admin", "gh_admin", "dept_yjj", "gh_dept_yjj"})


@pytest.mark.parametrize("code", [SECOND, HOME])
def test_an_overdue_enforcement_case_reaches_its_own_countys_office_and_department_only(two, code):  # noqa: F811
    enterprise = _enterprise(code)
    case = _place(Case(enterprise_id=enterprise.pk), enterprise)
    found = _names(case_people(case, (Role.TOWNSHIP, Role.DEPARTMENT, Role.ADMIN)))
    _is_own(found, code, {"admin", "gh_admin", "dept_yjj", "gh_dept_yjj"})


@pytest.mark.parametrize("code", [SECOND, HOME])
def test_an_overdue_policy_target_reaches_its_own_countys_office_only(two, code):  # noqa: F811
    org = Organisation.objects.get(code="gh_yjj" if code == SECOND else "yjj")
    today = date.today()
    target = PolicyTarget.objects.create(
        code=f"T-{code}", title="测试目标", indicator="测试", target_value=Decimal(10), start_on=today - timedelta(days=60),
        deadline=today - timedelta(days=1), responsible_org=org)
    PolicyTarget.objects.exclude(pk=target.pk).update(archived_at="2020-01-01T00:00:00Z")
    warn_overdue(today)
    told = set(Notification.objects.filter(payload__target=target.pk).values_list("recipient__username", flat=True))
    _is_own(told, code, {"admin", "gh_admin", "dept_yjj", "gh_dept_yjj"})


@pytest.mark.parametrize("code", [SECOND, HOME])
def test_a_suspension_left_unhandled_reaches_its_own_countys_office_only(two, code):  # noqa: F811
    enterprise = _enterprise(code)
    enterprise.due_at = timezone.now()
    Notification.objects.all().delete()
    notify_suspension_deadline(enterprise, Step("escalate", timedelta(days=3)))
    told = set(Notification.objects.filter(payload__enterprise=enterprise.pk).values_list(
        "recipient__username", flat=True))
    _is_own(told, code, {"admin", "gh_admin"})


def test_the_two_counties_share_the_industry_list(two):  # noqa: F811
    """The premise: the departments of both counties regulate the same industries."""
    assert set(Organisation.objects.get(code="gh_yjj").industries.all()) == set(
        Organisation.objects.get(code="yjj").industries.all())
    assert User.objects.filter(username__in=A_PEOPLE | B_PEOPLE).count() == 6
    assert Area.objects.filter(level=Area.Level.COUNTY).count() == 2
