import pytest

from citysafe.enforcement.models import Case
from citysafe.enforcement.services import records
from citysafe.knowledge.tests.conftest import laws, shipped  # noqa: F401 - the loaded laws


class EnforcementWorld:
    """Handles for the enforcement tests on the demo county: an enterprise in township A regulated
    by the 应急管理局 department user when one is, its officer, and step helpers."""

    def __init__(self, world):
        from citysafe.registry.models import Enterprise

        self.world = world
        industries = world.department.organisation.industries.all()
        self.enterprise = (Enterprise.objects.filter(township=world.township_a, industry__in=industries)
                           .order_by("id").first() or world.enterprise_in_a)

    def inspection(self, actor=None, **data):
        body = {"enterprise_id": self.enterprise.pk, "inspectors": "张三 62010001、李四 62010002",
                "findings": "未按规定对安全设备进行经常性维护、保养", "result": "violation", **data}
        return records.create_inspection_record(actor or self.world.township_officer, body)

    def opened_case(self, actor=None):
        record = self.inspection(actor)
        case = records.open_case_from_inspection(actor or self.world.township_officer, record.pk,
                                                 cause="未对安全设备进行经常性维护", violated_basis="安全生产法 第三十六条")
        return step(self.world.admin, case, "approve_opening")


@pytest.fixture
def ew(laws):  # noqa: F811 - the knowledge fixture imported above
    return EnforcementWorld(laws)


def step(actor, case, name, note="", **payload) -> Case:
    case.refresh_from_db()
    return records.transition_case(actor, case.pk, name, expected_version=case.version, note=note,
                                   payload=payload or None)
