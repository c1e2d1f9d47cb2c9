"""Case and decision numbers (案号, 决定书文号): the county's abbreviation, the year, a serial."""
from django.utils import timezone

COUNTY = "东"  # the county's abbreviation on its documents (东乡族自治县)


def case_number(case) -> str:
    return f"{COUNTY}应急立〔{timezone.localdate().year}〕{case.pk:04d}号"


def decision_number(case) -> str:
    return f"{COUNTY}应急罚〔{timezone.localdate().year}〕{case.pk:04d}号"
