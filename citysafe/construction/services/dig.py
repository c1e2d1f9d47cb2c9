"""The dig check for an excavation permit (动土作业): underground lines near the site.

`citysafe.siting.services.dig_check(user, geometry, metres)` is being built on another branch
(issue 12); this function is the one place that calls it, so the coordinator wires nothing
else. Until it exists the check is simply not available (None)."""
from citysafe.construction.models import PermitKind

DIG_CHECK_METRES = 5  # search distance around the site outline for underground lines


def excavation_dig_check(permit, user=None):
    """The siting dig check over the permit's site, for an excavation or road-breaking permit;
    None when the permit digs nothing or the dig check is not installed."""
    if permit.kind not in (PermitKind.EXCAVATION, PermitKind.ROAD_BREAKING):
        return None
    check = find_dig_check()
    if check is None:
        return None
    return check(user, permit.project.site.geometry, DIG_CHECK_METRES)


def find_dig_check():
    """siting's dig_check function, or None where it is not there (ImportError/AttributeError)."""
    import inspect

    try:
        from citysafe.siting.services import dig_check
        if inspect.ismodule(dig_check):  # a module of that name: its function
            dig_check = dig_check.dig_check
    except (ImportError, AttributeError):
        return None
    return dig_check if callable(dig_check) else None
