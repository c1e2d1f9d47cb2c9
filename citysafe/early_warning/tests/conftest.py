from datetime import timedelta

import pytest
from django.utils import timezone

from citysafe.early_warning.services import create_warning, transition_warning


@pytest.fixture
def make_warning(world):
    """A draft warning over the given townships (default: township A), by the department."""

    def make(level=1, townships=None, actor=None, **extra):
        now = timezone.now().replace(microsecond=0)
        data = {"warning_type": "rainstorm", "level": level, "headline": "暴雨预警", "description": "强降雨",
                "onset": now, "effective": now, "expires": now + timedelta(hours=12), "area_kind": "areas",
                "areas": [t.pk for t in (townships or [world.township_a])], **extra}
        return create_warning(actor or world.department, data)

    return make


@pytest.fixture
def publish(world):
    """Run a draft through review, approval (leader) and publication."""

    def run(warning, approver=None):
        steps = [("submit", world.department), ("pass_review", world.department),
                 ("approve", approver or world.leader), ("publish", approver or world.leader)]
        for name, actor in steps:
            warning = transition_warning(actor, warning.pk, name, expected_version=warning.version)
        return warning

    return run
