"""Floating premium rate of safety liability insurance (安全生产责任保险 费率浮动).

rate = base rate of the industry × (1 + adjustment / 100), where the adjustment is the sum of
percentages the county's rule gives for the enterprise's risk level, its hidden hazards and its
accidents over the rule's years, its credit status (listed as seriously untrustworthy), and a
reward for a clean record (no hazard, no accident), held between the rule's floor and cap.
Arithmetic in Decimal so hand-computed figures match exactly; rates rounded to 1/10,000 ‰.

Pure: no Django, no citysafe. Problems are returned as (field, code) pairs; the app words them.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RATE_STEP = Decimal("0.0001")


@dataclass(frozen=True)
class PremiumRule:
    risk_pct: Mapping[int, float]        # risk level (1 major … 4 low) → percentage; ungraded (0) adds 0
    general_hazard_pct: float = 0        # per general hazard found in the years counted
    major_hazard_pct: float = 0          # per major hazard
    hazard_cap_pct: float = 0            # the hazards' part never exceeds this
    accident_pct: float = 0              # per accident
    death_pct: float = 0                 # per death
    listed_pct: float = 0                # on the serious-untrustworthiness list
    clean_pct: float = 0                 # no hazard and no accident in the years counted
    floor_pct: float = -30               # the total adjustment is at least this …
    cap_pct: float = 100                 # … and at most this


@dataclass(frozen=True)
class Record:
    risk_level: int = 0
    general_hazards: int = 0
    major_hazards: int = 0
    accidents: int = 0
    deaths: int = 0
    is_listed: bool = False


@dataclass(frozen=True)
class Rate:
    base_permille: float
    rate_permille: float
    adjustment_pct: float                # after floor and cap
    parts: tuple[tuple[str, float], ...] # (factor, percentage) before floor and cap
    limited_by: str                      # "", "floor" or "cap"


def _d(value) -> Decimal:
    return Decimal(str(value))


def lowest_adjustment(rule: PremiumRule) -> Decimal | None:
    """The lowest total adjustment the rule can give (None: unbounded below, a per-count
    percentage is negative), before the floor."""
    if min(rule.general_hazard_pct, rule.major_hazard_pct, rule.accident_pct, rule.death_pct) < 0:
        return None
    risk = min([_d(v) for v in rule.risk_pct.values()] + [Decimal(0)])
    return risk + min(_d(rule.clean_pct), Decimal(0)) + min(_d(rule.listed_pct), Decimal(0))


def rule_problems(rule: PremiumRule) -> list[tuple[str, str]]:
    """What makes a rule unusable: (field, code). Codes: floor_above_zero, cap_below_zero,
    negative_hazard_cap, rate_not_positive (some enterprise would get a rate of zero or less)."""
    problems = []
    if rule.floor_pct > 0:
        problems.append(("floor_pct", "floor_above_zero"))
    if rule.cap_pct < 0:
        problems.append(("cap_pct", "cap_below_zero"))
    if rule.hazard_cap_pct < 0:
        problems.append(("hazard_cap_pct", "negative_hazard_cap"))
    lowest = lowest_adjustment(rule)
    reachable = _d(rule.floor_pct) if lowest is None else max(_d(rule.floor_pct), lowest)
    if reachable <= -100:
        problems.append(("floor_pct", "rate_not_positive"))
    return problems


def adjustment_parts(rule: PremiumRule, record: Record) -> tuple[tuple[str, Decimal], ...]:
    hazards = min(record.general_hazards * _d(rule.general_hazard_pct) + record.major_hazards * _d(rule.major_hazard_pct),
                  _d(rule.hazard_cap_pct))
    accidents = record.accidents * _d(rule.accident_pct) + record.deaths * _d(rule.death_pct)
    is_clean = not (record.general_hazards or record.major_hazards or record.accidents or record.deaths)
    return (("risk", _d(rule.risk_pct.get(record.risk_level, 0))), ("hazards", hazards), ("accidents", accidents),
            ("listed", _d(rule.listed_pct) if record.is_listed else Decimal(0)),
            ("clean", _d(rule.clean_pct) if is_clean else Decimal(0)))


def floating_rate(base_permille: float, rule: PremiumRule, record: Record) -> Rate:
    """The floating rate of one enterprise. ValueError on a base rate ≤ 0 or a rule with problems."""
    if base_permille <= 0:
        raise ValueError("base rate must be positive")
    problems = rule_problems(rule)
    if problems:
        raise ValueError(f"premium rule unusable: {problems}")
    parts = adjustment_parts(rule, record)
    total = sum((pct for _name, pct in parts), Decimal(0))
    limited_by = "floor" if total < _d(rule.floor_pct) else "cap" if total > _d(rule.cap_pct) else ""
    total = min(max(total, _d(rule.floor_pct)), _d(rule.cap_pct))
    rate = (_d(base_permille) * (1 + total / 100)).quantize(RATE_STEP, rounding=ROUND_HALF_UP)
    return Rate(float(_d(base_permille)), float(rate), float(total),
                tuple((name, float(pct)) for name, pct in parts), limited_by)


def floating_rates(base_permille, rule: PremiumRule, records) -> list[Rate]:
    """Many enterprises at once (a re-rating after the rule changed)."""
    return [floating_rate(base, rule, record) for base, record in zip(base_permille, records, strict=True)]
