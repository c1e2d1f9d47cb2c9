from collections import Counter

from kernels.enterprise_class import (
    ClassRule,
    EnterpriseFacts,
    classify,
    rule_from_dict,
    rule_problems,
    rule_to_dict,
    spread_over_months,
)


def test_a_major_risk_large_enterprise_with_a_record_is_class_a_a_clean_micro_one_d():
    rule = ClassRule()
    assert classify(EnterpriseFacts(risk_level=1, scale="large", hazards=3), rule)[0] == "A"
    assert classify(EnterpriseFacts(risk_level=4, scale="micro"), rule)[0] == "D"


def test_the_record_is_capped_and_explained_in_parts():
    cls, score, parts = classify(EnterpriseFacts(risk_level=3, scale="small", major_hazards=10, accidents=3),
                                 ClassRule())
    assert parts == {"risk": 15.0, "scale": 6.0, "record": 40.0} and score == 61.0 and cls == "A"


def test_a_rule_round_trips_through_json_and_bad_thresholds_are_named():
    rule = ClassRule(per_hazard=3.0)
    assert rule_from_dict(rule_to_dict(rule)) == rule
    assert rule_problems(ClassRule(thresholds=(10.0, 20.0, 5.0))) == ["thresholds"]


def test_visits_are_spread_evenly_and_the_monthly_load_stays_level():
    placed = spread_over_months([(i, 4) for i in range(1, 31)] + [(i, 1) for i in range(31, 43)])
    per_enterprise = Counter(e for e, _ in placed)
    assert all(per_enterprise[i] == 4 for i in range(1, 31)) and per_enterprise[31] == 1
    months_of_1 = sorted(m for e, m in placed if e == 1)
    assert [b - a for a, b in zip(months_of_1, months_of_1[1:], strict=False)] == [3, 3, 3]
    load = Counter(m for _, m in placed)
    assert max(load.values()) - min(load.values()) <= 1
