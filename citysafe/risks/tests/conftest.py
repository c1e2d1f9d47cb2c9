import pytest

from citysafe.accounts.models import User
from citysafe.core.roles import Role
from citysafe.registry.models import Enterprise, Place
from citysafe.risks import services


class RiskWorld:
    """Handles for the risk tests on top of the shared demo `world`: an enterprise supervised by
    the 应急管理局 (world.department) with its own officer, a place in township A."""

    def __init__(self, world):
        self.world = world
        industries = world.department.organisation.industries.all()
        self.officer = (User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise__industry__in=industries)
                        .select_related("enterprise").order_by("id").first())
        self.enterprise: Enterprise = self.officer.enterprise
        self.place = Place.objects.filter(township=world.township_a, grid__isnull=False,
                                          archived_at__isnull=True).order_by("id").first()

    def point(self, actor=None, **data) -> "object":
        data = {"name": "测试风险点", "enterprise_id": self.enterprise.pk, **data}
        return services.create_risk_point(actor or self.world.admin, data)

    def assessment(self, actor, point, inputs=None, method="lec", **extra):
        body = {"risk_point_id": point.pk, "method": method, **extra}
        if method != "direct":
            body["inputs"] = inputs or {"l": 6, "e": 6, "c": 15}
        return services.create_assessment(actor, body)


@pytest.fixture
def rw(world):
    return RiskWorld(world)


def step(actor, assessment, name, note=""):
    return services.transition_assessment(actor, assessment.pk, name, expected_version=assessment.version, note=note)
