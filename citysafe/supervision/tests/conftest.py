import pytest
from django.utils import timezone

from citysafe.accounts.models import Organisation
from citysafe.supervision.demo import build_supervision_demo
from citysafe.supervision.models import Inspector
from citysafe.supervision.services.common import enterprises_of


class SupervisionWorld:
    """The demo county with the supervision demo: classes for this year, the 应急管理局's roster of
    nine (five hold the hazchem qualification), its plan and one draw."""

    def __init__(self, world):
        self.world = world
        self.summary = build_supervision_demo()
        self.year = timezone.localdate().year
        self.department = Organisation.objects.get(code="yjj")
        self.pool = list(enterprises_of(self.department).order_by("id"))
        self.inspectors = list(Inspector.objects.filter(department=self.department).order_by("id"))

    def draw_args(self, **overrides):
        args = {"title": "测试抽查", "year": self.year, "classes": ["A", "B", "C", "D"],
                "required_qualification": "hazchem", "targets": 3,
                "due_on": (timezone.localdate() + timezone.timedelta(days=10)), "department_id": self.department.pk}
        args.update(overrides)
        return args


@pytest.fixture
def sv(world):
    return SupervisionWorld(world)
