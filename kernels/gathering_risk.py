"""Risk assessment of a large gathering (大型群众性活动, 大型群众性活动安全管理条例) against its
venue: capacity, exits and surroundings. Pure function; the service gathers the inputs.

The rule (each number is a named constant, with its source, so a county can adjust it):
- load = expected attendance / venue capacity (条例第六条(四), 第十八条: tickets only up to the
  approved capacity). Over capacity → 重大; ≥ 90 % → 较大; ≥ 70 % → 一般; else 低.
- exits: fewer than two → 重大 (GB 50016-2014 §5.5.8/§5.5.16: a place of assembly needs at
  least two safety exits); exit width against the width the crowd needs
  (EXIT_WIDTH_PER_100 m per 100 people, GB 50016-2014 §5.5.21 观众厅, common practice for
  open venues): under half → 重大, short → at least 较大.
- surroundings: a hazardous site (gas station, hazardous-chemical site, gas works, a major
  hazard installation) within SURROUNDINGS_RADIUS_M raises the level one step.
- size: 5,000 people or more (条例第十二条, municipal licensing) is at least 一般.
Levels as in kernels.risk_scoring: 1 重大, 2 较大, 3 一般, 4 低.
"""
from dataclasses import dataclass, field
from math import asin, cos, radians, sin, sqrt

MAJOR, SIGNIFICANT, GENERAL, LOW = 1, 2, 3, 4
LOAD_THRESHOLDS = ((1.0, MAJOR, True), (0.9, SIGNIFICANT, False), (0.7, GENERAL, False))  # (ratio, level, strictly)
MIN_EXITS = 2                      # GB 50016-2014 §5.5.8
EXIT_WIDTH_PER_100 = 0.65          # metres per 100 people, GB 50016-2014 §5.5.21 (common practice)
SURROUNDINGS_RADIUS_M = 500.0      # common practice (GB 18218's α radius)
MUNICIPAL_LICENCE_ATTENDANCE = 5000  # 条例第十二条: above this the city-level public security licenses
MINIMUM_ATTENDANCE = 1000          # 条例第二条: a large gathering is 1,000 people or more
EARTH_RADIUS_M = 6371008.8


@dataclass(frozen=True)
class GatheringRisk:
    level: int
    load: float | None                # attendance / capacity; None when the capacity is unknown
    required_exit_width: float        # metres
    reasons: list[str] = field(default_factory=list)   # reason codes, in the order found


def required_exit_width(attendance: int) -> float:
    return round(attendance / 100.0 * EXIT_WIDTH_PER_100, 2)


def _stricter(level: int, other: int) -> int:
    return min(level, other)


def assess_gathering(attendance: int, capacity: int | None, exits: int, exit_width_m: float,
                     hazards_nearby: int) -> GatheringRisk:
    """The level of a gathering and the reasons for it (codes: over_capacity, near_capacity,
    high_load, capacity_unknown, too_few_exits, exits_far_too_narrow, exits_too_narrow,
    hazards_nearby, municipal_size)."""
    if attendance < 0 or exits < 0 or exit_width_m < 0 or hazards_nearby < 0:
        raise ValueError("inputs must not be negative")
    level, reasons = LOW, []
    load = None
    if capacity is None or capacity <= 0:
        level, load = SIGNIFICANT, None
        reasons.append("capacity_unknown")
    else:
        load = attendance / capacity
        for ratio, threshold_level, strictly in LOAD_THRESHOLDS:
            if (load > ratio) if strictly else (load >= ratio):
                level = threshold_level
                reasons.append({MAJOR: "over_capacity", SIGNIFICANT: "near_capacity", GENERAL: "high_load"}[
                    threshold_level])
                break
    need = required_exit_width(attendance)
    if exits < MIN_EXITS:
        level = _stricter(level, MAJOR)
        reasons.append("too_few_exits")
    if exit_width_m < need / 2:
        level = _stricter(level, MAJOR)
        reasons.append("exits_far_too_narrow")
    elif exit_width_m < need:
        level = _stricter(level, SIGNIFICANT)
        reasons.append("exits_too_narrow")
    if hazards_nearby > 0:
        level = max(MAJOR, level - 1)
        reasons.append("hazards_nearby")
    if attendance >= MUNICIPAL_LICENCE_ATTENDANCE:
        level = _stricter(level, GENERAL)
        reasons.append("municipal_size")
    return GatheringRisk(level=level, load=load, required_exit_width=need, reasons=reasons)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine); ample for a 500 m ring."""
    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lon2 - lon1)
    a = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(sqrt(a))
