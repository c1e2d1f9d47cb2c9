"""The gathering rule on worked examples, each boundary exactly on its threshold."""
import pytest

from kernels.gathering_risk import assess_gathering, distance_m, required_exit_width


def test_exit_width_needed_is_065_m_per_hundred_people():
    assert required_exit_width(2000) == 13.0


def test_attendance_over_capacity_is_major():
    risk = assess_gathering(3001, 3000, exits=6, exit_width_m=30, hazards_nearby=0)
    assert risk.level == 1 and "over_capacity" in risk.reasons


def test_attendance_exactly_at_capacity_is_significant_not_major():
    assert assess_gathering(3000, 3000, exits=6, exit_width_m=30, hazards_nearby=0).level == 2


def test_ninety_percent_is_significant_and_just_under_is_general():
    assert assess_gathering(2700, 3000, exits=6, exit_width_m=30, hazards_nearby=0).level == 2
    assert assess_gathering(2699, 3000, exits=6, exit_width_m=30, hazards_nearby=0).level == 3


def test_seventy_percent_is_general_and_just_under_is_low():
    assert assess_gathering(2100, 3000, exits=6, exit_width_m=30, hazards_nearby=0).level == 3
    assert assess_gathering(2099, 3000, exits=6, exit_width_m=30, hazards_nearby=0).level == 4


def test_one_exit_is_major_however_roomy_the_venue():
    risk = assess_gathering(1000, 5000, exits=1, exit_width_m=30, hazards_nearby=0)
    assert risk.level == 1 and risk.reasons == ["too_few_exits"]


def test_exit_width_short_is_significant_and_under_half_is_major():
    # 2000 people need 13 m: 12.99 m short → 较大; 6.49 m under half → 重大; 6.5 m exactly half → 较大.
    assert assess_gathering(2000, 10000, exits=4, exit_width_m=13, hazards_nearby=0).level == 4
    assert assess_gathering(2000, 10000, exits=4, exit_width_m=12.99, hazards_nearby=0).level == 2
    assert assess_gathering(2000, 10000, exits=4, exit_width_m=6.5, hazards_nearby=0).level == 2
    assert assess_gathering(2000, 10000, exits=4, exit_width_m=6.49, hazards_nearby=0).level == 1


def test_a_hazardous_neighbour_raises_one_step_and_never_past_major():
    assert assess_gathering(1000, 10000, exits=4, exit_width_m=30, hazards_nearby=1).level == 3
    assert assess_gathering(3001, 3000, exits=4, exit_width_m=30, hazards_nearby=2).level == 1


def test_five_thousand_people_are_at_least_general():
    risk = assess_gathering(5000, 100000, exits=10, exit_width_m=100, hazards_nearby=0)
    assert risk.level == 3 and risk.reasons == ["municipal_size"]


def test_unknown_capacity_is_significant():
    assert assess_gathering(1000, None, exits=4, exit_width_m=30, hazards_nearby=0).level == 2


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        assess_gathering(-1, 100, exits=2, exit_width_m=1, hazards_nearby=0)


def test_distance_of_one_thousandth_degree_latitude_is_about_111_m():
    assert distance_m(103.4, 35.6, 103.4, 35.601) == pytest.approx(111.2, abs=0.2)
