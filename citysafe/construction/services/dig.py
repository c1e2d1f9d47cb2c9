"""The dig check for an excavation permit (动土作业): underground lines near the site, through
siting's dig check (`citysafe.siting.services.dig_check`, a lower layer), which validates the
geometry, applies the reader's scope to what it shows and audits the look-up."""
from django.core.exceptions import PermissionDenied, ValidationError

from citysafe.construction.models import PermitKind
from citysafe.siting.services.dig_check import dig_check

DIG_CHECK_METRES = 5  # search distance around the site outline for underground lines


def excavation_dig_check(permit, user=None):
    """The siting dig check over the permit's site, for an excavation or road-breaking permit;
    None when the permit digs nothing, or the reader may not run a dig check, or the site's
    outline is one the dig check refuses (e.g. larger than it accepts) — the permit page then
    shows no dig-check section rather than failing."""
    if permit.kind not in (PermitKind.EXCAVATION, PermitKind.ROAD_BREAKING) or user is None:
        return None
    try:
        return dig_check(user, permit.project.site.geometry, DIG_CHECK_METRES)
    except (PermissionDenied, ValidationError):
        return None
