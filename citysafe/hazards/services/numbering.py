"""Document and record numbers. Derived from the record's id and year, so they are unique
without a counter row (no lock shared by every registration)."""
from django.utils import timezone


def hazard_code(hazard) -> str:
    return f"YH{timezone.localtime(hazard.found_at):%Y}{hazard.pk:07d}"


def next_number(prefix: str, hazard) -> str:
    """A document number such as 东安责改〔2026〕0000123号 (one per hazard and kind of document)."""
    return f"东安{prefix}〔{timezone.localdate():%Y}〕{hazard.pk:07d}号"
