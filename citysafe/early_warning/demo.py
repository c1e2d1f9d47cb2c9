"""Demo and test warnings: a red rainstorm warning over the first township (published, which
queues its fan-out job) and an orange draft over the second. Call `seed_warnings(admin)` after
load_demo; the test suite seeds them unpublished (no queued job for the worker tests)."""
from datetime import timedelta

from django.utils import timezone


def seed_warnings(admin, publish: bool = True) -> list:
    from citysafe.accounts.models import Organisation, User
    from citysafe.early_warning.services import create_warning, transition_warning
    from citysafe.registry.models import Area

    townships = list(Area.objects.filter(level="township").order_by("code")[:3])
    department = Organisation.objects.filter(kind="department").order_by("code").first()
    leader = User.objects.filter(role="leader", is_active=True).order_by("id").first()
    now = timezone.now().replace(microsecond=0)
    made = []
    for n, township in enumerate(townships[:2]):
        made.append(create_warning(admin, {
            "warning_type": "rainstorm", "level": 1 + n, "headline": f"{township.name}暴雨预警",
            "description": "预计未来6小时内降雨量将达100毫米以上。", "instructions": "停止户外作业，转移危险区域人员。",
            "onset": now, "effective": now, "expires": now + timedelta(days=2), "area_kind": "areas",
            "areas": [township.pk], "issuing_department_id": department.pk if department else None}))
    if publish and made and leader is not None:
        first = made[0]
        for name, actor in (("submit", admin), ("pass_review", admin), ("approve", leader), ("publish", leader)):
            first = transition_warning(actor, first.pk, name, expected_version=first.version)
        made[0] = first
    return made
