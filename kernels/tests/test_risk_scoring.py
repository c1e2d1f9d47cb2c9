"""LEC, LS and MES scoring and grading, on worked examples computed by hand (STANDARDS.md)."""
import itertools
import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernels.risk_scoring import (
    LEC_SCALE,
    LEC_THRESHOLDS,
    LS_THRESHOLDS,
    MES_SCALE,
    MES_THRESHOLDS,
    MethodInputError,
    ThresholdsError,
    check_thresholds,
    grade,
    grade_many,
    highest,
    lec,
    ls,
    mes,
)

# --- LEC: D = L × E × C; 重大 D ≥ 320, 较大 160 ≤ D < 320, 一般 70 ≤ D < 160, 低 D < 70 ---------

def test_lec_worked_examples():
    assert lec(10, 6, 40) == 2400  # 10 × 6 × 40 = 2400 → 重大
    assert grade(lec(10, 6, 40), LEC_THRESHOLDS) == 1
    assert lec(3, 6, 15) == 270  # 3 × 6 × 15 = 270 → 较大
    assert grade(270, LEC_THRESHOLDS) == 2
    assert lec(3, 6, 7) == 126  # 3 × 6 × 7 = 126 → 一般
    assert grade(126, LEC_THRESHOLDS) == 3
    assert lec(1, 6, 7) == 42  # 1 × 6 × 7 = 42 → 低
    assert grade(42, LEC_THRESHOLDS) == 4
    assert lec(0.1, 0.5, 1) == 0.05  # 0.1 × 0.5 × 1 = 0.05, the smallest D


def test_lec_exactly_70_is_general_not_low():
    assert lec(10, 1, 7) == 70  # 10 × 1 × 7 = 70
    assert grade(lec(10, 1, 7), LEC_THRESHOLDS) == 3
    assert lec(1, 10, 7) == 70
    assert grade(69.95, LEC_THRESHOLDS) == 4


def test_lec_thresholds_320_and_160_are_inclusive_lower_bounds():
    # No product of the default scale is exactly 320 or 160 (checked below), so grade the scores.
    assert grade(320, LEC_THRESHOLDS) == 1
    assert grade(319.99, LEC_THRESHOLDS) == 2
    assert grade(160, LEC_THRESHOLDS) == 2
    assert grade(159.99, LEC_THRESHOLDS) == 3


def test_no_default_lec_combination_is_exactly_320_or_160():
    scores = {lec(*combination) for combination in itertools.product(*(LEC_SCALE[k] for k in "lec"))}
    assert 320 not in scores and 160 not in scores
    assert 70 in scores


def test_lec_product_has_no_binary_noise():
    # 0.2 × 6 × 40 is 48.00000000000001 in binary floating point; the score is 48.
    assert 0.2 * 6 * 40 != 48
    assert lec(0.2, 6, 40) == 48


def test_lec_accepts_decimals_as_written():
    assert lec(Decimal("0.5"), Decimal("6"), 40) == 120  # 0.5 × 6 × 40


@pytest.mark.parametrize(("args", "field"), [((7, 6, 40), "l"), ((10, 4, 40), "e"), ((10, 6, 50), "c"),
                                             ((0, 6, 40), "l"), ((10, 6, -100), "c")])
def test_lec_input_off_the_scale_names_the_field(args, field):
    with pytest.raises(MethodInputError) as caught:
        lec(*args)
    assert caught.value.field == field
    assert caught.value.code == "not_on_scale"
    assert field in str(caught.value)


@pytest.mark.parametrize("bad", ["10", None, True, math.nan, math.inf, [10]])
def test_lec_input_that_is_not_a_number_names_the_field(bad):
    with pytest.raises(MethodInputError) as caught:
        lec(10, bad, 40)
    assert (caught.value.field, caught.value.code) == ("e", "not_a_number")


def test_lec_with_a_county_scale():
    scale = {**LEC_SCALE, "l": (*LEC_SCALE["l"], 8), "c": (*LEC_SCALE["c"], 10)}
    assert lec(8, 2, 10, scale=scale) == 160  # 8 × 2 × 10 = 160, exactly on 较大
    assert grade(lec(8, 2, 10, scale=scale), LEC_THRESHOLDS) == 2
    with pytest.raises(MethodInputError):
        lec(8, 2, 10)  # not on the default scale


# --- LS matrix: R = L × S, each 1–5; 重大 ≥ 20, 较大 15–16, 一般 9–12, 低 ≤ 8 ------------------

def test_ls_worked_examples_on_each_threshold():
    assert ls(4, 5) == 20 and grade(20, LS_THRESHOLDS) == 1  # 4 × 5 = 20
    assert ls(5, 5) == 25 and grade(25, LS_THRESHOLDS) == 1
    assert ls(4, 4) == 16 and grade(16, LS_THRESHOLDS) == 2  # 4 × 4 = 16
    assert ls(3, 5) == 15 and grade(15, LS_THRESHOLDS) == 2  # 3 × 5 = 15
    assert ls(3, 4) == 12 and grade(12, LS_THRESHOLDS) == 3
    assert ls(3, 3) == 9 and grade(9, LS_THRESHOLDS) == 3  # 3 × 3 = 9
    assert ls(2, 4) == 8 and grade(8, LS_THRESHOLDS) == 4  # 2 × 4 = 8
    assert ls(1, 1) == 1 and grade(1, LS_THRESHOLDS) == 4


@pytest.mark.parametrize(("args", "field"), [((0, 3), "l"), ((6, 3), "l"), ((2.5, 3), "l"), ((3, 0), "s"), ((3, 6), "s")])
def test_ls_off_the_matrix_names_the_field(args, field):
    with pytest.raises(MethodInputError) as caught:
        ls(*args)
    assert (caught.value.field, caught.value.code) == (field, "not_on_scale")


# --- MES: R = M × E × S; 重大 ≥ 180, 较大 90–180, 一般 50–90, 低 < 50 --------------------------

def test_mes_worked_examples_on_each_threshold():
    assert mes(3, 6, 10) == 180 and grade(180, MES_THRESHOLDS) == 1  # 3 × 6 × 10 = 180
    assert mes(5, 6, 8) == 240 and grade(240, MES_THRESHOLDS) == 1
    assert mes(3, 3, 10) == 90 and grade(90, MES_THRESHOLDS) == 2  # 3 × 3 × 10 = 90
    assert mes(5, 10, 1) == 50 and grade(50, MES_THRESHOLDS) == 3  # 5 × 10 × 1 = 50
    assert mes(1, 6, 8) == 48 and grade(48, MES_THRESHOLDS) == 4  # 1 × 6 × 8 = 48
    assert grade(179.9, MES_THRESHOLDS) == 2
    assert grade(89.9, MES_THRESHOLDS) == 3
    assert grade(49.9, MES_THRESHOLDS) == 4


def test_mes_exposure_uses_the_lec_scale():
    assert MES_SCALE["e"] == LEC_SCALE["e"]
    assert mes(1, 0.5, 1) == 0.5


@pytest.mark.parametrize(("args", "field"), [((4, 6, 10), "m"), ((3, 7, 10), "e"), ((3, 6, 5), "s")])
def test_mes_off_the_scale_names_the_field(args, field):
    with pytest.raises(MethodInputError) as caught:
        mes(*args)
    assert caught.value.field == field


# --- thresholds tables --------------------------------------------------------------------------

def test_default_tables_are_valid():
    for table in (LEC_THRESHOLDS, LS_THRESHOLDS, MES_THRESHOLDS):
        check_thresholds(table)


@pytest.mark.parametrize(("table", "code"), [
    (((320, 1), (160, 2), (70, 3)), "row_count"),
    (((320, 1), (160, 2), (70, 3), (0, 4), (-1, 4)), "row_count"),
    (((320, 1), (320, 2), (70, 3), (0, 4)), "bounds_not_decreasing"),
    (((160, 1), (320, 2), (70, 3), (0, 4)), "bounds_not_decreasing"),
    (((320, 1), (160, 1), (70, 3), (0, 4)), "level_repeated"),
    (((320, 1), (160, 3), (70, 2), (0, 4)), "levels_out_of_order"),
    (((320, 1), (160, 2), (70, 3), (0, 5)), "unknown_level"),
    (((320, 0), (160, 2), (70, 3), (0, 4)), "unknown_level"),
    (((math.nan, 1), (160, 2), (70, 3), (0, 4)), "bound_not_a_number"),
    (((320, 1), ("160", 2), (70, 3), (0, 4)), "bound_not_a_number"),
    (((320, 1, 9), (160, 2), (70, 3), (0, 4)), "not_a_row"),
    (None, "not_a_table"),
])
def test_bad_thresholds_tables_are_refused(table, code):
    with pytest.raises(ThresholdsError) as caught:
        check_thresholds(table)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


def test_grade_below_every_bound_is_the_lowest_level():
    assert grade(-5, LEC_THRESHOLDS) == 4
    assert grade(5, ((100, 1), (50, 2), (10, 3), (6, 4))) == 4


def test_grade_refuses_nan():
    with pytest.raises(ValueError):
        grade(math.nan, LEC_THRESHOLDS)


valid_tables = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=4, max_size=4, unique=True).map(
    lambda bounds: tuple(zip(sorted(bounds, reverse=True), (1, 2, 3, 4), strict=True)))
scores = st.floats(-2e6, 2e6, allow_nan=False)


@given(valid_tables, scores, scores)
def test_grade_is_monotone_a_higher_score_never_means_a_lower_risk(table, a, b):
    check_thresholds(table)
    low, high = sorted((a, b))
    assert grade(high, table) <= grade(low, table)


@given(valid_tables, st.lists(scores, max_size=50))
def test_grade_many_agrees_with_grade(table, values):
    assert grade_many(np.array(values), table).tolist() == [grade(v, table) for v in values]


@given(valid_tables)
def test_every_bound_grades_to_its_own_level(table):
    for bound, level in table:
        assert grade(bound, table) == level


# --- highest level (取最高级) -------------------------------------------------------------------

def test_highest_is_the_smallest_non_zero_level():
    assert highest([4, 2, 3]) == 2
    assert highest([0, 4, 0]) == 4
    assert highest([1, 4]) == 1
    assert highest([]) == 0
    assert highest([0, 0]) == 0
    assert highest(iter([3, 3])) == 3


@pytest.mark.parametrize("bad", [[5], [-1], [2, 9]])
def test_highest_refuses_what_is_not_a_level(bad):
    with pytest.raises(ValueError):
        highest(bad)
