"""Floating premium rates, checked by hand (the figures in each test's comment)."""
import pytest

from kernels.premium import PremiumRule, Record, floating_rate, rule_problems

RULE = PremiumRule(risk_pct={1: 30, 2: 15, 3: 0, 4: -10}, general_hazard_pct=1, major_hazard_pct=10,
                   hazard_cap_pct=30, accident_pct=15, death_pct=20, listed_pct=30, clean_pct=-10,
                   floor_pct=-30, cap_pct=100)


def test_a_major_risk_enterprise_with_hazards_an_accident_and_a_listing_is_held_at_the_cap():
    # 30 (major) + 3×1 + 1×10 (hazards 13) + 15 + 20 (one accident, one death) + 30 (listed) = 108 → cap 100
    rate = floating_rate(2.0, RULE, Record(risk_level=1, general_hazards=3, major_hazards=1, accidents=1, deaths=1,
                                           is_listed=True))
    assert dict(rate.parts) == {"risk": 30, "hazards": 13, "accidents": 35, "listed": 30, "clean": 0}
    assert rate.adjustment_pct == 100 and rate.limited_by == "cap"
    assert rate.rate_permille == 4.0  # 2 ‰ × 2


def test_a_low_risk_clean_enterprise_pays_less():
    # -10 (low) - 10 (clean) = -20 → 1.5 ‰ × 0.8 = 1.2 ‰
    rate = floating_rate(1.5, RULE, Record(risk_level=4))
    assert rate.adjustment_pct == -20 and rate.limited_by == ""
    assert rate.rate_permille == 1.2


def test_hazards_add_no_more_than_their_cap():
    # 40 general hazards × 1 = 40 → capped at 30; risk ungraded 0 → 1.8 ‰ × 1.3 = 2.34 ‰
    rate = floating_rate(1.8, RULE, Record(general_hazards=40))
    assert dict(rate.parts)["hazards"] == 30
    assert rate.rate_permille == 2.34


def test_the_floor_holds_the_discount():
    # -10 - 10 = -20, floor -15 → 2 ‰ × 0.85 = 1.7 ‰
    rule = PremiumRule(**{**RULE.__dict__, "floor_pct": -15})
    rate = floating_rate(2.0, rule, Record(risk_level=4))
    assert rate.adjustment_pct == -15 and rate.limited_by == "floor" and rate.rate_permille == 1.7


def test_rates_are_rounded_half_up_to_a_ten_thousandth_of_a_permille():
    # significant risk 15 % + one general hazard 1 % = 16 %: 1.23456 × 1.16 = 1.4320896 → 1.4321
    rate = floating_rate(1.23456, RULE, Record(risk_level=2, general_hazards=1))
    assert rate.rate_permille == 1.4321


def test_a_rule_whose_factors_can_reach_minus_100_percent_is_refused():
    # low -60, clean -50: -110; floor -100 → the lowest reachable is -100 → a rate of zero
    bad = PremiumRule(risk_pct={4: -60}, clean_pct=-50, floor_pct=-100, cap_pct=50)
    assert ("floor_pct", "rate_not_positive") in rule_problems(bad)
    with pytest.raises(ValueError):
        floating_rate(2.0, bad, Record(risk_level=4))
    # the same factors with a floor of -30 can never go below -30
    assert rule_problems(PremiumRule(risk_pct={4: -60}, clean_pct=-50, floor_pct=-30, cap_pct=50)) == []


def test_a_negative_per_hazard_percentage_is_unbounded_so_the_floor_decides():
    assert rule_problems(PremiumRule(risk_pct={}, general_hazard_pct=-1, floor_pct=-100)) == [
        ("floor_pct", "rate_not_positive")]
    assert rule_problems(PremiumRule(risk_pct={}, general_hazard_pct=-1, floor_pct=-99)) == []


def test_floor_above_zero_and_cap_below_zero_are_named():
    problems = rule_problems(PremiumRule(risk_pct={}, floor_pct=5, cap_pct=-5))
    assert ("floor_pct", "floor_above_zero") in problems and ("cap_pct", "cap_below_zero") in problems


def test_a_base_rate_of_zero_is_refused():
    with pytest.raises(ValueError):
        floating_rate(0, RULE, Record())
