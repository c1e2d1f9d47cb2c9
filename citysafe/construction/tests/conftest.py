from datetime import timedelta

import pytest
from django.utils import timezone

from citysafe.accounts.models import User
from citysafe.construction.models import ConstructionProject, WorkPermit


class Site:
    """The seeded demo project of township A (conftest: build_construction_demo) and helpers."""

    def __init__(self, world):
        self.world = world
        self.project = ConstructionProject.objects.filter(township=world.township_a).order_by("id").first()
        self.zjj = User.objects.get(username="dept_zjj")

    def permit(self, kind="height", start=-1, hours=6, **extra) -> WorkPermit:
        from citysafe.construction.kinds import PERMITS

        now = timezone.now()
        return PERMITS.create(self.world.admin, {
            "project_id": self.project.pk, "code": f"T-{kind}-{WorkPermit.objects.count() + 1}", "kind": kind,
            "work_location": "3#楼", "valid_from": now + timedelta(hours=start),
            "valid_to": now + timedelta(hours=start + hours), **extra})


@pytest.fixture
def site(world):
    return Site(world)
