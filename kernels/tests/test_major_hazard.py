"""GB 18218-2018: S identification, α, R grading, on worked examples computed by hand."""
from decimal import Decimal

import pyproj
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from kernels.major_hazard import (
    DEFAULT_BETA_BY_CLASS,
    SUBSTANCES,
    TOXIC_GAS_BETA,
    Holding,
    alpha_for_people,
    beta_for_class,
    grade_r,
    is_major,
    people_within,
    r_value,
    s_value,
)
from kernels.risk_scoring import MethodInputError

BY_CAS = {row["cas"]: row for row in SUBSTANCES}
LPG, GASOLINE, CHLORINE, AMMONIA, PHOSGENE = "68476-85-7", "86290-81-5", "7782-50-5", "7664-41-7", "75-44-5"


def held(cas: str, q) -> Holding:
    row = BY_CAS[cas]
    return Holding(q=q, critical=row["critical_t"], beta=row["beta"])


# --- S = Σ q/Q --------------------------------------------------------------------------------

def test_s_exactly_one_is_a_major_hazard_installation():
    # LPG 25 t / 50 t = 0.5, gasoline 100 t / 200 t = 0.5: S = 1.0
    unit = [held(LPG, 25), held(GASOLINE, 100)]
    assert s_value(unit) == 1.0
    assert is_major(unit)


def test_s_just_below_one_is_not():
    unit = [held(LPG, 24.99), held(GASOLINE, 100)]  # 0.4998 + 0.5 = 0.9998
    assert s_value(unit) == pytest.approx(0.9998)
    assert not is_major(unit)


def test_s_is_summed_exactly_from_the_decimals_as_written():
    # 0.1 + 0.1 + 0.1 t of phosgene against Q = 0.3 t is S = 1, although 3 × 0.1 ≠ 0.3 in binary.
    unit = [held(PHOSGENE, 0.1)] * 3
    assert 0.1 + 0.1 + 0.1 != 0.3
    assert s_value(unit) == 1.0
    assert is_major(unit)
    assert is_major([Holding(q=Decimal("0.1"), critical=Decimal("0.3"))] * 3)


def test_a_unit_with_nothing_is_not_major():
    assert s_value([]) == 0
    assert not is_major([])


# --- α by people within 500 m -----------------------------------------------------------------

@pytest.mark.parametrize(("people", "alpha"), [(0, 0.5), (1, 1.0), (29, 1.0), (30, 1.2), (49, 1.2),
                                               (50, 1.5), (99, 1.5), (100, 2.0), (10_000, 2.0)])
def test_alpha_for_people_on_every_step(people, alpha):
    assert alpha_for_people(people) == alpha


@pytest.mark.parametrize("bad", [-1, 2.5, "3", True, None])
def test_alpha_refuses_negative_or_non_integer_people(bad):
    with pytest.raises(MethodInputError) as caught:
        alpha_for_people(bad)
    assert caught.value.field == "people"


# --- R = α Σ β q/Q and the grade --------------------------------------------------------------

def test_r_worked_example():
    # chlorine 10 t: β 4 × 10/5 = 8; ammonia 20 t: β 2 × 20/10 = 4; Σ = 12; 120 people → α 2.0; R = 24
    unit = [held(CHLORINE, 10), held(AMMONIA, 20)]
    assert s_value(unit) == 4.0  # 10/5 + 20/10
    assert r_value(unit, alpha_for_people(120)) == 24.0
    assert grade_r(24.0) == 3


def test_r_exactly_100_is_grade_one():
    # chlorine 62.5 t: 4 × 62.5/5 = 50; α 2.0 (100 people) → R = 100 → 一级
    unit = [held(CHLORINE, 62.5)]
    assert r_value(unit, alpha_for_people(100)) == 100.0
    assert grade_r(r_value(unit, alpha_for_people(100))) == 1
    # the same unit with 99 people: α 1.5 → R = 75 → 二级
    assert r_value(unit, alpha_for_people(99)) == 75.0
    assert grade_r(75.0) == 2


def test_r_exactly_50_is_grade_two():
    unit = [held(CHLORINE, 62.5)]  # Σβq/Q = 50; α 1.0 (1–29 people) → R = 50
    assert r_value(unit, alpha_for_people(29)) == 50.0
    assert grade_r(50.0) == 2


def test_r_exactly_10_is_grade_three():
    unit = [held(GASOLINE, 2000)]  # β 1 × 2000/200 = 10; α 1.0 → R = 10
    assert r_value(unit, 1.0) == 10.0
    assert grade_r(10.0) == 3
    assert r_value(unit, alpha_for_people(0)) == 5.0  # nobody within 500 m: α 0.5
    assert grade_r(5.0) == 4


@pytest.mark.parametrize(("r", "grade"), [(1000, 1), (100, 1), (99.999, 2), (50, 2), (49.999, 3), (10, 3),
                                          (9.999, 4), (0, 4)])
def test_grade_r_on_both_sides_of_every_threshold(r, grade):
    assert grade_r(r) == grade


@given(st.floats(0, 1e6, allow_nan=False), st.floats(0, 1e6, allow_nan=False))
def test_grade_r_is_monotone(a, b):
    low, high = sorted((a, b))
    assert grade_r(high) <= grade_r(low)


# --- bad holdings -----------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "field"), [
    ({"q": -1, "critical": 5}, "q"),
    ({"q": 1, "critical": 0}, "critical"),
    ({"q": 1, "critical": -5}, "critical"),
    ({"q": 1, "critical": 5, "beta": 0}, "beta"),
    ({"q": float("nan"), "critical": 5}, "q"),
    ({"q": "2", "critical": 5}, "q"),
])
def test_bad_holdings_name_the_field(kwargs, field):
    with pytest.raises(ValueError) as caught:
        Holding(**kwargs)
    assert caught.value.field == field
    assert field in str(caught.value) or {"critical": "Q", "beta": "β"}[field] in str(caught.value)


def test_r_refuses_a_non_positive_alpha():
    with pytest.raises(MethodInputError) as caught:
        r_value([held(LPG, 1)], 0)
    assert caught.value.field == "alpha"


# --- the catalogue the app seeds from ---------------------------------------------------------

def cas_check_digit_ok(cas: str) -> bool:
    """CAS numbers end in a check digit: Σ digit × position (from the right, after it) mod 10."""
    body, check = cas.rsplit("-", 1)
    digits = body.replace("-", "")[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(check)


def test_every_cas_number_has_a_valid_check_digit():
    for cas in [*BY_CAS, *TOXIC_GAS_BETA]:
        assert cas_check_digit_ok(cas), cas


def test_catalogue_has_the_critical_quantities_of_the_standard():
    q = {BY_CAS[cas]["name"]: BY_CAS[cas]["critical_t"] for cas in BY_CAS}
    assert q == {"液化石油气": 50, "汽油": 200, "氯": 5, "氨": 10, "甲烷、天然气": 50, "甲醇": 500, "乙醇": 500,
                 "氢": 5, "苯": 50, "硫化氢": 5, "碳酰氯(光气)": 0.3}
    assert len(BY_CAS) == len(SUBSTANCES)  # CAS numbers are unique
    assert all(set(row) >= {"name", "cas", "hazard_class", "critical_t", "beta"} for row in SUBSTANCES)


def test_named_toxic_gases_take_their_own_beta_and_others_their_class_beta():
    beta = {BY_CAS[cas]["name"]: BY_CAS[cas]["beta"] for cas in BY_CAS}
    assert (beta["氯"], beta["氨"], beta["硫化氢"], beta["碳酰氯(光气)"]) == (4, 2, 5, 20)
    assert (beta["液化石油气"], beta["氢"], beta["甲烷、天然气"]) == (1.5, 1.5, 1.5)  # W2 flammable gas
    assert (beta["汽油"], beta["甲醇"]) == (1, 1)
    assert {name: b for name, b in TOXIC_GAS_BETA.values() if b >= 10} == {
        "二氧化氮": 10, "氰化氢": 10, "碳酰氯(光气)": 20, "磷化氢": 20, "异氰酸甲酯": 20}


def test_beta_by_class():
    assert DEFAULT_BETA_BY_CLASS["J1"] == 4
    assert beta_for_class("J2") == beta_for_class("J5") == 1
    assert beta_for_class("J3") == beta_for_class("J4") == 2
    assert beta_for_class("W1.2") == 2
    assert beta_for_class("W7.1") == 1.5
    assert beta_for_class("W8") == 1  # any other W class
    with pytest.raises(MethodInputError) as caught:
        beta_for_class("X1")
    assert caught.value.field == "hazard_class"


# --- people within 500 m ----------------------------------------------------------------------

GEOD = pyproj.Geod(ellps="WGS84")
UNIT = (103.40, 35.60)  # near the county seat


def at(distance_m: float, azimuth: float, origin=UNIT) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(origin[0], origin[1], azimuth, distance_m)
    return lon, lat


def test_people_within_500_metres_of_a_point_unit():
    places = [(at(400, 0), 30), (at(498, 90), 20), (at(502, 180), 1000), (at(2000, 270), 500)]
    assert people_within(UNIT, places) == 50  # 30 + 20; 502 m and 2 km are out


def test_distance_is_from_the_units_boundary():
    # A 200 m × 200 m tank farm centred on UNIT; a school 580 m north of the centre is 480 m from the fence.
    north, south = at(100, 0)[1], at(100, 180)[1]
    east, west = at(100, 90)[0], at(100, 270)[0]
    farm = shapely.box(west, south, east, north)
    school = (at(580, 0), 300)
    assert people_within(UNIT, [school]) == 0
    assert people_within(farm, [school]) == 300
    assert alpha_for_people(people_within(farm, [school])) == 2.0


def test_a_place_counts_when_any_part_is_within_reach():
    # A market polygon from 450 m to 700 m east of the unit.
    a, b = at(450, 90), at(700, 90)
    market = shapely.box(a[0], a[1] - 0.001, b[0], b[1] + 0.001)
    assert people_within(UNIT, [(market, 120), (shapely.Point(*at(900, 90)), 7)]) == 120


def test_people_within_with_no_places_or_another_radius():
    assert people_within(UNIT, []) == 0
    assert people_within(UNIT, [(at(800, 45), 12)], metres=1000) == 12


def test_negative_people_are_refused():
    with pytest.raises(MethodInputError) as caught:
        people_within(UNIT, [(at(10, 0), -3)])
    assert caught.value.field == "people"
