"""Which county's audit chain a change by the system lands on (core.audit.register_record_chains).

The system account and actions without a user have no county, so core.audit keys their changes
by the record's county instead: the county its scope keys lead to (core.scope's `county_paths`:
a hazard's township, an alarm's sensor's township, a county table's `county`, ...). The home
county's records, and records no county holds (directories, users without a placed
organisation, settings), stay on the actor's chain ("root", the home county's).

Cost: a one-county deployment resolves nothing, and knows it without a query — a cached fact,
forgotten when an area is saved or deleted and re-read after `SINGLE_TTL` seconds (a county
loaded by another process). With several counties: one query for the deployment's counties,
and the records' counties from what the instances hold (area → county cached); a key path the
instance has not loaded (a hazard's enterprise's township) is one query per model and path for
the whole batch.
"""
import time

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from citysafe.core.scope import county_paths
from citysafe.core.scope_fields import ScopeFields
from citysafe.registry.models import Area

SINGLE_TTL = 60.0  # seconds a process trusts "this deployment has one county"

_single_until = 0.0                                 # monotonic deadline of the cached "one county"
_area_county: dict[int, tuple[int, str] | None] = {}  # area id -> (its county's id, code), None: no county


def _forget(**_kwargs) -> None:
    global _single_until
    _single_until = 0.0
    _area_county.clear()


post_save.connect(_forget, sender=Area, weak=False, dispatch_uid="registry.audit_counties.save")
post_delete.connect(_forget, sender=Area, weak=False, dispatch_uid="registry.audit_counties.delete")


def _home_of_several() -> int | None:
    """The home county (lowest id) where the deployment has several counties, else None;
    no query while "one county" is cached."""
    global _single_until
    if time.monotonic() < _single_until:
        return None
    counties = list(Area.objects.filter(level=Area.Level.COUNTY).order_by("pk").values_list("pk", flat=True)[:2])
    if len(counties) > 1:
        return counties[0]  # "several" is not cached: a rolled-back county (tests) sends no signal
    _single_until = time.monotonic() + SINGLE_TTL
    return None


def record_chains(instances: list[Model]) -> list[str | None] | None:
    """One chain key per instance: the code of the county it lies in, or None (the actor's
    chain) for the home county's records and those of no county; None for all of them in a
    one-county deployment."""
    home = _home_of_several()
    if home is None:
        return None
    areas = _area_ids(instances)
    _load_areas({area for area in areas if area is not None})
    chains = []
    for area in areas:
        county = _area_county.get(area) if area is not None else None
        chains.append(None if county is None or county[0] == home else county[1][:32])
    return chains


def _area_ids(instances: list[Model]) -> list[int | None]:
    """The area each instance's county key path ends at (an area whose county is the record's
    county), following only relations the instance has loaded; the rest read per model and path."""
    found: list[int | None] = [None] * len(instances)
    missing: dict[tuple[type, str], list[int]] = {}  # (model, area path) -> positions to read
    for position, instance in enumerate(instances):
        fields = getattr(type(instance), "scope", None) if instance is not None else None
        if not isinstance(fields, ScopeFields) or fields.public:
            continue
        if fields.owner_record:  # an attachment lies where the record it belongs to lies
            owner = getattr(instance, fields.owner_record, None)
            found[position] = _area_ids([owner])[0] if owner is not None else None
            continue
        unread = []
        for path in county_paths(type(instance), fields):
            known, area = _in_memory(instance, path)
            if area is not None:
                found[position] = area
                break
            if not known:
                unread.append(path)
        else:
            for path in unread:
                missing.setdefault((type(instance), path), []).append(position)
    for (model, path), positions in missing.items():
        positions = [p for p in positions if found[p] is None and instances[p].pk is not None]
        if not positions:
            continue
        counties: dict = {}
        rows = model._base_manager.filter(pk__in={instances[p].pk for p in positions}).values_list("pk", path)
        for pk, county in rows:
            counties.setdefault(pk, set()).add(county)
        for position in positions:
            values = counties.get(instances[position].pk, set()) - {None}
            if len(values) == 1:  # a record of several counties (a warning across them) has none
                found[position] = next(iter(values))
    return found


def _in_memory(instance: Model, path: str) -> tuple[bool, int | None]:
    """(whether it could be read without a query, the area id) for a county path such as
    "sensor__township__county": the related objects before the last area must be loaded."""
    *hops, last = path.split("__")
    if last != "county":
        return False, None
    if not hops:  # the row's own county foreign key (a county table, an area)
        return True, getattr(instance, "county_id", None)
    obj = instance
    try:
        for hop in hops[:-1]:
            field = obj._meta.get_field(hop)
            if not _forward(field) or not field.is_cached(obj):
                return False, None
            obj = getattr(obj, hop)
            if obj is None:
                return True, None
        field = obj._meta.get_field(hops[-1])
    except FieldDoesNotExist:  # a reverse or generic path: read from the database
        return False, None
    return (True, getattr(obj, field.attname, None)) if _forward(field) else (False, None)


def _forward(field) -> bool:
    """A foreign key (or one-to-one) held on the row itself: its id is on the instance."""
    return bool(field.is_relation and field.concrete and not field.many_to_many)


def _load_areas(area_ids: set[int]) -> None:
    """Each area's county (itself for a county) and its code, cached (an area's county never
    changes; the cache is forgotten when an area is saved or deleted)."""
    missing = sorted(area_ids - _area_county.keys())
    if not missing:
        return
    for pk, county, code in Area.objects.filter(pk__in=missing).values_list("pk", "county_id", "county__code"):
        _area_county[pk] = (county, code) if county is not None else None
    for pk in missing:
        _area_county.setdefault(pk, None)
