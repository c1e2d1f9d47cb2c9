"""Archiving and restoring graded records: the shared write path (core.records), then the
derived state — an archived risk point leaves its areas' counts; an archived inventory row
no longer counts towards its unit's S and R."""
from django.db import transaction

from citysafe.core.records import archive_record, restore_record
from citysafe.risks.services.area_levels import areas_of, shift_point


@transaction.atomic
def archive_risk_point(actor, model, pk, note: str = ""):
    point = archive_record(actor, model, pk, note)
    shift_point(areas_of(point.township_id, point.village_id, point.grid_id), point.level, 0)
    return point


@transaction.atomic
def restore_risk_point(actor, model, pk, note: str = ""):
    point = restore_record(actor, model, pk, note)
    shift_point(areas_of(point.township_id, point.village_id, point.grid_id), 0, point.level)
    return point


@transaction.atomic
def archive_inventory(actor, model, pk, note: str = ""):
    from citysafe.risks.services.hazards import recompute_installation

    inventory = archive_record(actor, model, pk, note)
    recompute_installation(actor, inventory.installation_id, note=note)
    return inventory
