"""Risk scoring by LEC, LS risk matrix and MES, and grading a score into a risk level.

Levels are ints: 1 = 重大 (red), 2 = 较大 (orange), 3 = 一般 (yellow), 4 = 低 (blue); a higher
risk is a smaller number; 0 means "no risk point". Scales and thresholds are the defaults of
../shared/STANDARDS.md ("Risk assessment methods"); the app keeps editable copies and passes
them in, so every function takes the table as an argument.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal

import numpy as np

# LEC (作业条件危险性评价法), D = L × E × C. Source: STANDARDS.md "Risk assessment methods".
LEC_SCALE: Mapping[str, Collection[float]] = {
    "l": (10, 6, 3, 1, 0.5, 0.2, 0.1),  # likelihood: 完全可以预料 … 实际上不可能
    "e": (10, 6, 3, 2, 1, 0.5),  # exposure: 连续暴露 … 非常罕见地暴露
    "c": (100, 40, 15, 7, 3, 1),  # consequence: 大灾难 … 引人注目
}
# LS risk matrix, R = L × S, each 1–5 (common practice).
LS_SCALE: Mapping[str, Collection[float]] = {"l": (1, 2, 3, 4, 5), "s": (1, 2, 3, 4, 5)}
# MES, R = M × E × S: M 5 no measures / 3 mitigation only / 1 effective prevention; E as in LEC;
# S 10 several deaths / 8 one death / 4 permanent disability / 2 treatment / 1 first aid.
MES_SCALE: Mapping[str, Collection[float]] = {"m": (5, 3, 1), "e": LEC_SCALE["e"], "s": (10, 8, 4, 2, 1)}

Thresholds = Sequence[tuple[float, int]]
"""(inclusive lower bound, level) rows, bounds strictly decreasing, levels 1, 2, 3, 4."""

# Four levels, common practice in 双重预防 systems (STANDARDS.md).
LEC_THRESHOLDS: Thresholds = ((320, 1), (160, 2), (70, 3), (0, 4))
LS_THRESHOLDS: Thresholds = ((20, 1), (15, 2), (9, 3), (0, 4))
MES_THRESHOLDS: Thresholds = ((180, 1), (90, 2), (50, 3), (0, 4))

LEVELS = (1, 2, 3, 4)
LOWEST_LEVEL = 4
NO_RISK = 0

# Scale values have at most one decimal, so a product has at most three: rounding it to six
# places removes binary noise (0.1 × 6 × 40 = 24.000000000000004) and keeps a score that is
# exactly on a threshold on it.
_SCORE_DECIMALS = 6


class MethodInputError(ValueError):
    """An assessment input that the method does not accept; the app answers 422 on `field`."""

    def __init__(self, field: str, code: str, message: str):
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


def _number(field: str, value) -> float:
    """value as a finite float; bools and text are refused, Decimal and int accepted."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | np.integer | np.floating):
        raise MethodInputError(field, "not_a_number", f"{field} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise MethodInputError(field, "not_a_number", f"{field} must be a finite number, got {value!r}")
    return number


def _on_scale(field: str, value, scale: Mapping[str, Collection[float]]) -> float:
    number = _number(field, value)
    allowed = scale[field]
    if not any(math.isclose(number, float(a), rel_tol=1e-9, abs_tol=1e-12) for a in allowed):
        shown = ", ".join(f"{a:g}" for a in allowed)
        raise MethodInputError(field, "not_on_scale", f"{field} = {number:g} is not on the scale ({shown})")
    return number


def _product(*factors: float) -> float:
    return round(math.prod(factors), _SCORE_DECIMALS)


def lec(l: float, e: float, c: float, *, scale: Mapping[str, Collection[float]] = LEC_SCALE) -> float:  # noqa: E741
    """D = L × E × C; each input must be one of the scale's values."""
    return _product(_on_scale("l", l, scale), _on_scale("e", e, scale), _on_scale("c", c, scale))


def ls(l: int, s: int, *, scale: Mapping[str, Collection[float]] = LS_SCALE) -> float:  # noqa: E741
    """R = L × S (risk matrix, each 1–5)."""
    return _product(_on_scale("l", l, scale), _on_scale("s", s, scale))


def mes(m: float, e: float, s: float, *, scale: Mapping[str, Collection[float]] = MES_SCALE) -> float:
    """R = M × E × S."""
    return _product(_on_scale("m", m, scale), _on_scale("e", e, scale), _on_scale("s", s, scale))


class ThresholdsError(ValueError):
    """A thresholds table that cannot grade consistently; `row` is the offending row (or None)."""

    def __init__(self, code: str, message: str, row: int | None = None):
        super().__init__(message)
        self.code = code
        self.row = row
        self.message = message


def check_thresholds(t: Thresholds) -> None:
    """Refuse a table an admin may have edited into nonsense.

    Rules: four rows (bound, level); bounds finite numbers, strictly decreasing; levels 1, 2, 3, 4
    each exactly once, in that order (a higher score can never mean a lower risk).
    """
    try:
        rows = [tuple(row) for row in t]
    except TypeError as exc:
        raise ThresholdsError("not_a_table", "thresholds must be a list of (bound, level) rows") from exc
    if len(rows) != len(LEVELS):
        raise ThresholdsError("row_count", f"thresholds need {len(LEVELS)} rows (one per level), got {len(rows)}")
    previous = math.inf
    for i, row in enumerate(rows):
        if len(row) != 2:
            raise ThresholdsError("not_a_row", f"row {i + 1} must be (bound, level)", i)
        bound, level = row
        if isinstance(bound, bool) or not isinstance(bound, int | float | Decimal) or not math.isfinite(bound):
            raise ThresholdsError("bound_not_a_number", f"row {i + 1}: bound {bound!r} is not a finite number", i)
        if isinstance(level, bool) or level not in LEVELS:
            raise ThresholdsError("unknown_level", f"row {i + 1}: level {level!r} is not one of 1, 2, 3, 4", i)
        if not float(bound) < previous:
            raise ThresholdsError("bounds_not_decreasing", f"row {i + 1}: bound {bound} must be below the row above", i)
        previous = float(bound)
    levels = [level for _, level in rows]
    if len(set(levels)) != len(levels):
        raise ThresholdsError("level_repeated", "each level must appear exactly once")
    if levels != sorted(levels):
        raise ThresholdsError("levels_out_of_order", "a higher bound must give a higher risk (levels 1, 2, 3, 4 from the top)")


def grade(score: float, thresholds: Thresholds) -> int:
    """The level of the highest bound ≤ score; the lowest level (4) when below every bound."""
    value = float(score)
    if math.isnan(value):
        raise ValueError("score is not a number")
    best_bound, best_level = -math.inf, LOWEST_LEVEL
    for bound, level in thresholds:
        if float(bound) <= value and float(bound) > best_bound:
            best_bound, best_level = float(bound), int(level)
    return best_level


def grade_many(scores: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    """grade() over an array of scores at once (re-grading every assessment after an edit)."""
    rows = sorted(((float(b), int(lv)) for b, lv in thresholds), key=lambda r: r[0])
    bounds = np.array([b for b, _ in rows])
    levels = np.array([LOWEST_LEVEL] + [lv for _, lv in rows], dtype=np.int8)
    values = np.asarray(scores, dtype=float)
    if np.isnan(values).any():
        raise ValueError("a score is not a number")
    return levels[np.searchsorted(bounds, values, side="right")]


def highest(levels: Iterable[int]) -> int:
    """The highest risk among levels (smallest non-zero); 0 when there is none (取最高级)."""
    best = NO_RISK
    for level in levels:
        if level not in (NO_RISK, *LEVELS) or isinstance(level, bool):
            raise ValueError(f"{level!r} is not a risk level (0–4)")
        if level and (best == NO_RISK or level < best):
            best = int(level)
    return best
