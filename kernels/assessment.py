"""Scoring arithmetic of the annual assessment, the demonstration-city indicators and target
status, as pure functions (no Django): the app feeds them counts and figures it read in bulk.

Hand-written because it is a handful of formulas from the county's rules and STANDARDS.md;
no library expresses "linear between a zero ratio and a full ratio" or 一票否决 ranking."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Grades (等次) by total score; a vetoed unit is 不合格 whatever its score (common practice).
GRADES: tuple[tuple[float, str], ...] = ((90.0, "优秀"), (80.0, "良好"), (60.0, "合格"))
FAILED = "不合格"


def weights_match(weights: Sequence[float], total: float, tolerance: float = 0.005) -> bool:
    """Whether the item weights add up to the system's total (to the cent)."""
    return abs(sum(weights) - total) <= tolerance


def ratio_score(numerator: int, denominator: int, weight: float, full_at: float = 1.0,
                zero_at: float = 0.0) -> float:
    """Points for an automatic item: the full weight at a ratio ≥ full_at, nothing at ≤ zero_at,
    linear between. No records to count (denominator 0) means nothing was due: full points."""
    if denominator <= 0:
        return _cents(Fraction(str(weight)))
    if full_at <= zero_at:
        raise ValueError("full_at must be above zero_at")
    # Exact fractions, rounded half up to the cent as a person scoring by hand would (4.375 → 4.38).
    full, zero = Fraction(str(full_at)), Fraction(str(zero_at))
    share = min(Fraction(1), max(Fraction(0), (Fraction(numerator, denominator) - zero) / (full - zero)))
    return _cents(Fraction(str(weight)) * share)


def _cents(value: Fraction) -> float:
    return float((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def unit_total(item_scores: Sequence[float], deduction: float) -> float:
    """The unit's score: its items less its deductions, never below zero."""
    return round(max(0.0, sum(item_scores) - deduction), 2)


def grade_of(score: float, vetoed: bool) -> str:
    if vetoed:
        return FAILED
    return next((label for floor, label in GRADES if score >= floor), FAILED)


def rank(scores: Sequence[float], vetoed: Sequence[bool]) -> list[int]:
    """Competition ranking (1, 2, 2, 4): by score, highest first, vetoed units after all others."""
    keys = [(bool(v), -round(s, 2)) for s, v in zip(scores, vetoed, strict=True)]
    return [1 + sum(1 for other in keys if other < key) for key in keys]


@dataclass(frozen=True)
class SafetyIndicators:
    deaths_per_100m_gdp: float | None        # 亿元GDP生产安全事故死亡率
    road_deaths_per_10k_vehicles: float | None  # 道路交通事故万车死亡率
    fire_deaths_per_100k_people: float | None   # 火灾十万人口死亡率


def safety_indicators(production_deaths: int, road_deaths: int, fire_deaths: int, gdp_yi: float | None,
                      vehicles_wan: float | None, population: int | None) -> SafetyIndicators:
    """The three rates of STANDARDS.md "Safety indicators"; None where the base figure is missing."""
    def rate(deaths, base, factor=1.0):
        return round(deaths / base * factor, 4) if base else None

    return SafetyIndicators(rate(production_deaths, gdp_yi), rate(road_deaths, vehicles_wan),
                            rate(fire_deaths, population, 1e5))


def target_light(*, value: float | None, target: float, at_most: bool, start: date, deadline: date,
                 today: date) -> tuple[str, str]:
    """Traffic-light status of a policy target: (green|yellow|red, reason).

    Achieved → green. Past the deadline and not achieved → red. Otherwise progress (value as a
    share of the target) is compared with the share of the period elapsed: behind → yellow."""
    if value is not None and (value <= target if at_most else value >= target):
        return "green", "已达标"
    if today > deadline:
        return "red", "逾期未达标"
    if value is None:
        return ("yellow", "未报送进度") if today >= start else ("green", "尚未开始")
    if at_most:  # a ceiling not yet met: behind until it is
        return "yellow", "进度滞后"
    span = max(1, (deadline - start).days)
    elapsed = min(1.0, max(0.0, (today - start).days / span))
    progress = value / target if target else 1.0
    return ("yellow", "进度滞后") if progress < elapsed else ("green", "正常推进")
