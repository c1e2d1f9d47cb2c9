"""Reads of the hazards app that are not a record kind's list (those go through core.kinds)."""
from citysafe.hazards.models import OPEN_STATES, Hazard


def disclosed_hazards():
    """Listed major hazards (挂牌督办) for the public page: open or de-listed within the year.
    Only the columns the page shows are read, so no personal field can leak into it."""
    return (Hazard.objects.filter(is_listed=True, status__in=OPEN_STATES, archived_at__isnull=True)
            .select_related("township", "supervising_department", "owner_enterprise")
            .only("code", "category", "description", "measures", "plan_measures", "rectification_deadline",
                  "listing_deadline", "listing_authority", "listed_at", "responsible_unit", "stop_production",
                  "status", "township__name", "supervising_department__name", "owner_enterprise__name")
            .order_by("listing_deadline", "id"))
