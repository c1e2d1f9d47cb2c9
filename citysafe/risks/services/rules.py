"""Reading the editable rule tables (models/rules.py), with the seeded defaults as the
fallback when a row is missing, so grading never stops on a deleted row."""
import calendar
from datetime import date

from citysafe.risks.models import ControlLevel, IdentificationRound, LevelRule, MajorHazardLevelRule, ReviewRule

# Seeded in migration 0002 (the same values); used only when a row is missing.
DEFAULT_CONTROL = {1: ControlLevel.COUNTY, 2: ControlLevel.DEPARTMENT, 3: ControlLevel.ENTERPRISE,
                   4: ControlLevel.WORKSHOP}
DEFAULT_MONTHS = {1: 12, 2: 24, 3: 36, 4: 60}
DEFAULT_MHI_MINIMUM = 2


def default_control_level(level: int) -> str:
    if not level:
        return ""
    rule = LevelRule.objects.filter(level=level).only("control_level").first()
    return rule.control_level if rule else DEFAULT_CONTROL[level]


def reassess_months(level: int) -> int:
    rule = LevelRule.objects.filter(level=level).only("reassess_months").first()
    return rule.reassess_months if rule else DEFAULT_MONTHS.get(level, 60)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reassess_due(level: int, assessed_on: date) -> date | None:
    """The next assessment is due `reassess_months` after this one, and never later than the
    next county-wide identification round (at least every five years)."""
    if not level or assessed_on is None:
        return None
    due = add_months(assessed_on, reassess_months(level))
    round_due = identification_round_due()
    return min(due, round_due) if round_due and round_due > assessed_on else due


def identification_round_due() -> date | None:
    last = IdentificationRound.objects.order_by("-started_on").first()
    return add_months(last.started_on, 12 * last.cycle_years) if last else None


# Seeded in migration 0002: departments, townships and the county office confirm their own 一般/低.
DEFAULT_DIRECT = {(role, level) for role in ("admin", "department", "township") for level in (3, 4)}


def takes_effect_directly(role: str, level: int) -> bool:
    """Review rule table: may an assessment by `role` at `level` take effect without review?"""
    rule = ReviewRule.objects.filter(role=role, level=level).only("takes_effect_directly").first()
    if rule is None:
        return (role, level) in DEFAULT_DIRECT
    return rule.takes_effect_directly


def major_hazard_minimum(grade: int) -> int:
    """The lowest risk level of a major hazard installation's risk point (0: not major)."""
    if not grade:
        return 0
    rule = MajorHazardLevelRule.objects.filter(grade=grade).only("minimum_level").first()
    return rule.minimum_level if rule else DEFAULT_MHI_MINIMUM
