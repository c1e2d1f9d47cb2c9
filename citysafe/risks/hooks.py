"""How registry changes reach the risks app without the registry importing it: Django's
post_save signals on registry.Enterprise, Place and Area (the registry stays unaware).

- an enterprise, place or area moved or was reclassified → its risk points take the new
  location, areas, industry and owner (placement.inherit_location), and the area levels follow;
- a place's people or location changed → the major hazard units within reach recompute α and R.
"""
from django.db.models.signals import post_save

from citysafe.registry.models import Area, Enterprise, Place

_UID = "citysafe.risks.hooks"


def _follow_parent(field: str, instance) -> None:
    from citysafe.core.audit import record_change, snapshot
    from citysafe.risks.models import RiskPoint
    from citysafe.risks.services.area_levels import move_point_between_areas
    from citysafe.risks.services.placement import inherit_location

    for point in RiskPoint.objects.select_for_update().filter(**{field: instance.pk}):
        old_areas = (point.township_id, point.village_id, point.grid_id)
        before = snapshot(point)
        changed = inherit_location(point)
        if not changed:
            continue
        point.version += 1
        point.save()
        record_change(actor=None, action="follow_parent", instance=point, before=before, after=snapshot(point),
                      note=f"{type(instance)._meta.label}:{instance.pk}")
        move_point_between_areas(point, old_areas)


def _recompute_units_near(place: Place) -> None:
    from citysafe.core.workflow.system import as_system
    from citysafe.risks.models import MajorHazardInstallation
    from citysafe.risks.services.hazards import recompute_installation

    box = 0.01  # ≈1.1 km: every unit whose 500 m circle could reach the place (or did before)
    units = MajorHazardInstallation.objects.filter(
        archived_at__isnull=True, lon__range=(place.lon - box, place.lon + box),
        lat__range=(place.lat - box, place.lat + box)).values_list("pk", flat=True)
    if not units:
        return
    with as_system() as actor:
        for pk in units:
            recompute_installation(actor, pk, note=f"registry.Place:{place.pk}")


def _on_enterprise(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    _follow_parent("enterprise", instance)


def _on_place(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if not created:
        _follow_parent("place", instance)
    _recompute_units_near(instance)


def _on_area(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    _follow_parent("area", instance)


def connect() -> None:
    post_save.connect(_on_enterprise, sender=Enterprise, dispatch_uid=f"{_UID}.enterprise")
    post_save.connect(_on_place, sender=Place, dispatch_uid=f"{_UID}.place")
    post_save.connect(_on_area, sender=Area, dispatch_uid=f"{_UID}.area")
