import pytest

from citysafe.hazards.services import hazards as services
from citysafe.registry.models import Place


class HazardWorld:
    """Handles for the hazard tests on the shared demo `world`: a place in township A (in the grid
    worker's grid when one is there) and its enterprise officer when it has one."""

    def __init__(self, world):
        self.world = world
        self.place = (Place.objects.filter(grid=world.grid, archived_at__isnull=True).order_by("id").first()
                      or Place.objects.filter(township=world.township_a, grid__isnull=False,
                                              archived_at__isnull=True).order_by("id").first())

    def hazard(self, actor=None, **data):
        body = {"category": "fire", "description": "疏散通道堆放杂物", "place_id": self.place.pk, **data}
        return services.create_hazard(actor or self.world.township_officer, body)


@pytest.fixture
def hw(world):
    return HazardWorld(world)


def step(actor, hazard, name, note="", **payload):
    hazard.refresh_from_db()
    return services.transition_hazard(actor, hazard.pk, name, expected_version=hazard.version, note=note,
                                      payload=payload or None)


def rectifying(hw, days=2):
    """A general hazard of `hw`'s place under rectification, due in `days` days."""
    import datetime

    from django.utils import timezone

    w = hw.world
    hazard = hw.hazard()
    step(w.township_officer, hazard, "grade", grade="general", reason="易于整改")
    step(w.township_officer, hazard, "issue_notice", responsible_unit="甲", responsible_person="乙", measures="丙",
         deadline=(timezone.localdate() + datetime.timedelta(days=days)).isoformat())
    step(w.grid_worker, hazard, "start")
    hazard.refresh_from_db()
    return hazard
