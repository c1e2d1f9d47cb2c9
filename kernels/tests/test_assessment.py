from datetime import date

import pytest

from kernels.assessment import grade_of, rank, ratio_score, safety_indicators, target_light, unit_total, weights_match


def test_weights_must_add_up_to_the_total_to_the_cent():
    assert weights_match([30, 30, 40], 100)
    assert not weights_match([30, 30, 39.9], 100)


def test_ratio_score_is_linear_between_zero_and_full_ratio():
    assert ratio_score(9, 10, 20) == 18.0
    assert ratio_score(9, 10, 20, full_at=0.9) == 20.0
    assert ratio_score(7, 10, 20, full_at=0.9, zero_at=0.5) == 10.0
    assert ratio_score(4, 10, 20, full_at=0.9, zero_at=0.5) == 0.0


def test_nothing_due_scores_full_points():
    assert ratio_score(0, 0, 15) == 15.0


def test_bad_rule_is_refused():
    with pytest.raises(ValueError):
        ratio_score(1, 2, 10, full_at=0.5, zero_at=0.5)


def test_deductions_never_take_a_unit_below_zero():
    assert unit_total([10, 5], 3) == 12.0
    assert unit_total([1], 5) == 0.0


def test_a_vetoed_unit_ranks_after_every_other_and_fails():
    assert rank([95, 80, 80, 99], [False, False, False, True]) == [1, 2, 2, 4]
    assert grade_of(99, True) == "不合格"
    assert [grade_of(s, False) for s in (95, 85, 65, 59)] == ["优秀", "良好", "合格", "不合格"]


def test_standards_indicators():
    rates = safety_indicators(3, 4, 2, gdp_yi=60.0, vehicles_wan=8.0, population=400_000)
    assert rates.deaths_per_100m_gdp == 0.05
    assert rates.road_deaths_per_10k_vehicles == 0.5
    assert rates.fire_deaths_per_100k_people == 0.5
    assert safety_indicators(1, 1, 1, None, 0, None).road_deaths_per_10k_vehicles is None


def test_target_lights():
    kw = {"target": 90, "at_most": False, "start": date(2024, 1, 1), "deadline": date(2024, 12, 31)}
    assert target_light(value=92, today=date(2024, 3, 1), **kw)[0] == "green"
    assert target_light(value=80, today=date(2025, 1, 5), **kw) == ("red", "逾期未达标")
    assert target_light(value=20, today=date(2024, 7, 1), **kw) == ("yellow", "进度滞后")
    assert target_light(value=60, today=date(2024, 7, 1), **kw) == ("green", "正常推进")
    assert target_light(value=None, today=date(2024, 2, 1), **kw) == ("yellow", "未报送进度")
