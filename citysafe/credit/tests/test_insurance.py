"""Safety liability insurance: the floating rate from the platform's records, the premium rule's
refusal, claims inside the policy period, high-risk enterprises without a valid policy."""
from datetime import timedelta

from django.utils import timezone

from citysafe.credit.models import IndustryBaseRate, InsurancePolicy, ListEntry, PremiumRule
from citysafe.credit.services.insurance import rate_of
from tests.api.conftest import Api


def _uninsured_enterprise(world):
    from citysafe.registry.models import Enterprise

    high = IndustryBaseRate.objects.filter(is_high_risk=True).values("industry_id")
    insured = InsurancePolicy.objects.values("enterprise_id")
    return Enterprise.objects.filter(industry_id__in=high, operating_status="operating", township=world.township_a) \
        .exclude(pk__in=insured).exclude(pk__in=ListEntry.objects.values("enterprise_id")).order_by("pk").first()


def test_a_policy_gets_the_floating_rate_of_its_enterprise_and_it_rises_when_listed(world):
    enterprise = _uninsured_enterprise(world)
    today = timezone.localdate()
    made = Api(world.admin).post("insurance-policies", {
        "code": "PTEST0001", "enterprise_id": enterprise.pk, "insurer": "测试保险", "starts_on": str(today),
        "ends_on": str(today + timedelta(days=364)), "sum_per_person": 800000, "premium": 32000.0})
    assert made.status_code == 201, made.content
    body = made.json()
    quote = rate_of(enterprise)
    assert body["floating_rate_permille"] == quote["rate"] and body["base_rate_permille"] == quote["base"]
    assert body["rate_basis"]["is_listed"] is False
    # Listing adds the rule's listed percentage (30 by default), within the cap.
    ListEntry.objects.create(code="SXMD-T-1", enterprise=enterprise, criterion_id=1, basis_text="x",
                             status="published", township_id=enterprise.township_id, industry_id=enterprise.industry_id)
    listed = rate_of(enterprise)
    assert listed["basis"]["is_listed"] is True and listed["basis"]["parts"]["listed"] == 30
    assert listed["rate"] >= quote["rate"]


def test_a_premium_rule_that_could_make_a_negative_rate_is_refused_naming_the_rule(world):
    rule = PremiumRule.objects.get(code="FL-DEFAULT")
    answer = Api(world.admin).patch(f"premium-rules/{rule.pk}", {"version": rule.version, "floor_pct": -100,
                                                                  "low_risk_pct": -80, "clean_pct": -30})
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail[0]["loc"][-1] == "floor_pct" and "费率浮动规则" in detail[0]["msg"] and "负数" in detail[0]["msg"]
    rule.refresh_from_db()
    assert rule.floor_pct == -30 and rule.low_risk_pct == -10 and rule.version == 1


def test_only_the_county_office_edits_the_premium_rule(world):
    rule = PremiumRule.objects.get(code="FL-DEFAULT")
    assert Api(world.department).patch(f"premium-rules/{rule.pk}", {"version": rule.version, "cap_pct": 50}) \
        .status_code == 403


def test_a_claim_outside_the_policy_period_is_refused(world):
    policy = InsurancePolicy.objects.filter(archived_at__isnull=True).order_by("pk").first()
    answer = Api(world.admin).post("insurance-claims", {"code": "LPTEST1", "policy_id": policy.pk,
                                                        "accident_on": str(policy.ends_on + timedelta(days=1))})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == "accident_on"


def test_high_risk_enterprises_without_a_valid_policy_are_listed_in_scope(world):
    enterprise = _uninsured_enterprise(world)
    mine = {row["id"] for row in Api(world.township_officer).get("credit/uninsured").json()}
    theirs = {row["id"] for row in Api(world.other_township_officer).get("credit/uninsured").json()}
    assert enterprise.pk in mine and enterprise.pk not in theirs
    insured = InsurancePolicy.objects.filter(starts_on__lte=timezone.localdate(), ends_on__gte=timezone.localdate(),
                                             township=world.township_a).values_list("enterprise_id", flat=True)
    assert not mine & set(insured)


def test_an_enterprise_sees_only_its_own_policies(world):
    ids = {row["enterprise_id"] for row in Api(world.enterprise_officer).get("insurance-policies").json()["items"]}
    assert ids <= {world.enterprise.pk}


def test_the_uninsured_page_shows_the_township_its_own_enterprises(client, world):
    enterprise = _uninsured_enterprise(world)
    client.force_login(world.township_officer)
    assert enterprise.name in client.get("/credit/uninsured/").content.decode()
    client.force_login(world.other_township_officer)
    assert enterprise.name not in client.get("/credit/uninsured/").content.decode()
