"""Enterprise classification for supervision (分级分类监管) and spreading a year's planned
inspections over the months. Pure: no Django, no citysafe.

Classes: A 重点监管 (the most risky, inspected most often) … D 低风险 (left to random draws).
The rule is data (the county edits it): points for the enterprise's highest risk level, for its
scale, and for its record over the last years (hidden hazards, major ones weighted, accidents),
and the score each class starts at. 安全生产法 第六十二条: 应急管理部门应当按照分类分级监督管理
的要求，制定安全生产年度监督检查计划.
"""
from dataclasses import dataclass, field

CLASSES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class ClassRule:
    # risk level as in kernels.risk_scoring: 1 重大 … 4 低, 0 not graded
    risk_points: dict = field(default_factory=lambda: {1: 50, 2: 30, 3: 15, 4: 5, 0: 10})
    scale_points: dict = field(default_factory=lambda: {"large": 20, "medium": 12, "small": 6, "micro": 2})
    per_hazard: float = 2.0
    per_major_hazard: float = 15.0
    per_accident: float = 25.0
    record_cap: float = 40.0          # the record adds at most this much
    # the lowest score of A, B and C; below the last: D
    thresholds: tuple = (60.0, 35.0, 15.0)


@dataclass(frozen=True)
class EnterpriseFacts:
    risk_level: int = 0
    scale: str = "small"
    hazards: int = 0
    major_hazards: int = 0
    accidents: int = 0


def rule_from_dict(data: dict) -> ClassRule:
    """A rule stored as JSON (keys of JSON objects are strings)."""
    base = ClassRule()
    return ClassRule(
        risk_points={int(k): float(v) for k, v in data.get("risk_points", base.risk_points).items()},
        scale_points={str(k): float(v) for k, v in data.get("scale_points", base.scale_points).items()},
        per_hazard=float(data.get("per_hazard", base.per_hazard)),
        per_major_hazard=float(data.get("per_major_hazard", base.per_major_hazard)),
        per_accident=float(data.get("per_accident", base.per_accident)),
        record_cap=float(data.get("record_cap", base.record_cap)),
        thresholds=tuple(float(t) for t in data.get("thresholds", base.thresholds)),
    )


def rule_to_dict(rule: ClassRule) -> dict:
    return {"risk_points": {str(k): v for k, v in rule.risk_points.items()}, "scale_points": dict(rule.scale_points),
            "per_hazard": rule.per_hazard, "per_major_hazard": rule.per_major_hazard,
            "per_accident": rule.per_accident, "record_cap": rule.record_cap, "thresholds": list(rule.thresholds)}


def rule_problems(rule: ClassRule) -> list[str]:
    """Why a rule cannot be used (English keys; the service words them in Chinese)."""
    problems = []
    if len(rule.thresholds) != 3 or list(rule.thresholds) != sorted(rule.thresholds, reverse=True):
        problems.append("thresholds")
    numbers = [*rule.risk_points.values(), *rule.scale_points.values(), rule.per_hazard, rule.per_major_hazard,
               rule.per_accident, rule.record_cap]
    if any(n < 0 for n in numbers):
        problems.append("negative")
    return problems


def score_enterprise(facts: EnterpriseFacts, rule: ClassRule) -> tuple[float, dict]:
    """The score and its parts (shown beside the class, so a class can be explained)."""
    risk = float(rule.risk_points.get(facts.risk_level, rule.risk_points.get(0, 0.0)))
    scale = float(rule.scale_points.get(facts.scale, 0.0))
    record = min(rule.record_cap, facts.hazards * rule.per_hazard + facts.major_hazards * rule.per_major_hazard
                 + facts.accidents * rule.per_accident)
    return risk + scale + record, {"risk": risk, "scale": scale, "record": record}


def class_for_score(score: float, rule: ClassRule) -> str:
    for name, lowest in zip(CLASSES, rule.thresholds, strict=False):
        if score >= lowest:
            return name
    return CLASSES[-1]


def classify(facts: EnterpriseFacts, rule: ClassRule) -> tuple[str, float, dict]:
    score, parts = score_enterprise(facts, rule)
    return class_for_score(score, rule), score, parts


def spread_over_months(counts: list[tuple[int, int]], months: int = 12) -> list[tuple[int, int]]:
    """(enterprise id, inspections a year) → [(enterprise id, month 1..12)], each enterprise's
    visits evenly spaced, the start month chosen so the monthly load stays level (greedy: the
    enterprises with most visits placed first, each at the offset whose months are least loaded;
    ties go to the earliest month). Deterministic for the same input."""
    load = [0] * months
    placed: list[tuple[int, int]] = []
    for enterprise_id, n in sorted(counts, key=lambda c: (-c[1], c[0])):
        n = max(0, min(int(n), months))
        if n == 0:
            continue
        step = months / n
        best = min(range(max(1, int(step))),
                   key=lambda off: (sum(load[int(off + k * step) % months] for k in range(n)), off))
        for k in range(n):
            month = int(best + k * step) % months
            load[month] += 1
            placed.append((enterprise_id, month + 1))
    return sorted(placed)
