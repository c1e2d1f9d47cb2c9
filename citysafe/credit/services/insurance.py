"""Safety liability insurance: the premium rule's check, a policy's floating rate from the
platform's data (kernels.premium), and the high-risk enterprises without a valid policy.

Inputs of the rate, per enterprise, over the rule's years: the highest level of its risk points
(risks app), its hidden hazards by grade except those not recognised (hazards app), its
accidents — the claims on its policies (each with its date and deaths): the accident records of
the assessment app carry a township and industry but no enterprise, so they cannot be counted
per enterprise — and whether it is on the serious-untrustworthiness list now."""
from dateutil.relativedelta import relativedelta
from django.db.models import Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.core import scope
from citysafe.credit.models import Claim, IndustryBaseRate, InsurancePolicy, ListEntry, PremiumRule
from citysafe.hazards.models import Grade, Hazard, Status
from citysafe.registry.models import Enterprise
from citysafe.risks.models import RiskPoint
from kernels import premium

LISTED_STATES = (ListEntry.Status.PUBLISHED, ListEntry.Status.REPAIR_APPLIED)

RULE_MESSAGES = {
    "floor_above_zero": gettext_lazy("合计下浮下限不能大于0"),
    "cap_below_zero": gettext_lazy("合计上浮上限不能小于0"),
    "negative_hazard_cap": gettext_lazy("隐患上浮上限不能小于0"),
    "rate_not_positive": gettext_lazy("按此规则的下浮因子，费率可能降至0或负数：请提高“合计下浮下限”（须大于-100%）或减小下浮因子"),
}


def kernel_rule(rule: PremiumRule) -> premium.PremiumRule:
    return premium.PremiumRule(
        risk_pct={1: rule.major_risk_pct, 2: rule.significant_risk_pct, 3: rule.general_risk_pct, 4: rule.low_risk_pct},
        general_hazard_pct=rule.general_hazard_pct, major_hazard_pct=rule.major_hazard_pct,
        hazard_cap_pct=rule.hazard_cap_pct, accident_pct=rule.accident_pct, death_pct=rule.death_pct,
        listed_pct=rule.listed_pct, clean_pct=rule.clean_pct, floor_pct=rule.floor_pct, cap_pct=rule.cap_pct)


def check_rule(instance, data, errors, actor) -> None:
    """The kind's rule for PremiumRule: refused with the field and the rule when unusable."""
    values = [instance.major_risk_pct, instance.significant_risk_pct, instance.general_risk_pct,
              instance.low_risk_pct, instance.general_hazard_pct, instance.major_hazard_pct, instance.hazard_cap_pct,
              instance.accident_pct, instance.death_pct, instance.listed_pct, instance.clean_pct,
              instance.floor_pct, instance.cap_pct]
    if any(v is None for v in values):
        return  # the required-field check names them
    for field, code in premium.rule_problems(kernel_rule(instance)):
        errors.add(field, _("费率浮动规则“%(name)s”不可用：%(rule)s") % {
            "name": instance.name or instance.code, "rule": RULE_MESSAGES[code]}, code)


def active_rule() -> PremiumRule | None:
    return PremiumRule.objects.filter(archived_at__isnull=True).order_by("code").first()


def enterprise_record(enterprise_id: int, rule: PremiumRule, today=None) -> premium.Record:
    today = today or timezone.localdate()
    since = today - relativedelta(years=rule.lookback_years)
    level = RiskPoint.objects.filter(owner_enterprise_id=enterprise_id, archived_at__isnull=True, level__gt=0) \
        .aggregate(m=Min("level"))["m"] or 0
    hazards = Hazard.objects.filter(owner_enterprise_id=enterprise_id, archived_at__isnull=True,
                                    found_at__date__gte=since).exclude(status=Status.REJECTED)
    claims = Claim.objects.filter(policy__enterprise_id=enterprise_id, archived_at__isnull=True,
                                  accident_on__gte=since, accident_on__lte=today)
    totals = claims.aggregate(deaths=Sum("deaths"))
    listed = ListEntry.objects.filter(enterprise_id=enterprise_id, status__in=LISTED_STATES,
                                      archived_at__isnull=True).exists()
    return premium.Record(risk_level=level, general_hazards=hazards.filter(grade=Grade.GENERAL).count(),
                          major_hazards=hazards.filter(grade=Grade.MAJOR).count(), accidents=claims.count(),
                          deaths=totals["deaths"] or 0, is_listed=listed)


def rate_of(enterprise: Enterprise, today=None) -> dict:
    """{base, rate, basis} for an enterprise now; rate None without a rule or a base rate."""
    rule = active_rule()
    base = IndustryBaseRate.objects.filter(industry_id=enterprise.industry_id, archived_at__isnull=True) \
        .order_by("code").first()
    if rule is None or base is None:
        return {"base": base.base_rate_permille if base else None, "rate": None,
                "basis": {"missing": "rule" if rule is None else "base_rate"}}
    record = enterprise_record(enterprise.pk, rule, today)
    result = premium.floating_rate(base.base_rate_permille, kernel_rule(rule), record)
    basis = {"rule": rule.code, "lookback_years": rule.lookback_years, "risk_level": record.risk_level,
             "general_hazards": record.general_hazards, "major_hazards": record.major_hazards,
             "accidents": record.accidents, "deaths": record.deaths, "is_listed": record.is_listed,
             "parts": dict(result.parts), "adjustment_pct": result.adjustment_pct, "limited_by": result.limited_by}
    return {"base": result.base_permille, "rate": result.rate_permille, "basis": basis}


def check_policy(instance, data, errors, actor) -> None:
    """The kind's rule for policies: a period that ends after it starts; the scope keys from the
    enterprise; the floating rate computed (never typed in)."""
    if instance.starts_on and instance.ends_on and instance.ends_on <= instance.starts_on:
        errors.add("ends_on", _("保险止期必须晚于保险起期"), "period_order")
    if instance.enterprise_id:
        enterprise = instance.enterprise
        instance.township_id, instance.grid_id = enterprise.township_id, enterprise.grid_id
        instance.industry_id = enterprise.industry_id
        rated = rate_of(enterprise)
        instance.base_rate_permille, instance.floating_rate_permille = rated["base"], rated["rate"]
        instance.rate_basis = rated["basis"]


def check_claim(instance, data, errors, actor) -> None:
    if instance.paid and instance.claimed is not None and instance.paid > instance.claimed:
        errors.add("paid", _("赔付金额不能超过索赔金额"), "paid_over_claimed")
    if instance.policy_id and instance.accident_on:
        policy = instance.policy
        if not (policy.starts_on <= instance.accident_on <= policy.ends_on):
            errors.add("accident_on", _("事故日期不在保单的保险期间（%(start)s至%(end)s）内") % {
                "start": policy.starts_on, "end": policy.ends_on}, "outside_policy_period")


def valid_policy_q(today) -> Q:
    return Q(archived_at__isnull=True, starts_on__lte=today, ends_on__gte=today)


def uninsured_high_risk(user, today=None):
    """Operating enterprises in a high-risk industry without a policy valid today (安全生产法
    第五十一条第二款), in the user's scope."""
    today = today or timezone.localdate()
    industries = IndustryBaseRate.objects.filter(is_high_risk=True, archived_at__isnull=True).values("industry_id")
    insured = InsurancePolicy.objects.filter(valid_policy_q(today)).values("enterprise_id")
    enterprises = Enterprise.objects.filter(industry_id__in=industries,
                                            operating_status=Enterprise.OperatingStatus.OPERATING) \
        .exclude(pk__in=insured).select_related("industry", "township").order_by("township__code", "name")
    return scope.narrow(user, enterprises)
