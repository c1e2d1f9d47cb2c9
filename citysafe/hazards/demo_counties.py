"""Open hazards of the demo's second county (广河县, registry/demo/second_county.py): a few per
township, on its enterprises, with the keys the hazards services would copy (made-up data)."""
from django.utils import timezone

from citysafe.hazards.models import Category, Hazard
from citysafe.registry.demo.second_county import COUNTY
from citysafe.registry.models import Enterprise

CATEGORIES = [Category.FIRE, Category.ELECTRICAL, Category.GAS]


def seed_second_county_hazards(per_enterprise: int = 1) -> int:
    enterprises = Enterprise.objects.filter(township__county__code=COUNTY[0]).order_by("pk")
    if Hazard.objects.filter(enterprise__in=enterprises).exists():
        return 0
    count = 0
    for index, enterprise in enumerate(enterprises):
        for number in range(per_enterprise):
            Hazard.objects.create(
                found_at=timezone.now(), category=CATEGORIES[(index + number) % len(CATEGORIES)],
                description=f"{enterprise.name}：示例隐患{number + 1}（演示数据）", enterprise=enterprise,
                lon=enterprise.lon, lat=enterprise.lat, township_id=enterprise.township_id,
                village_id=enterprise.village_id, grid_id=enterprise.grid_id, industry_id=enterprise.industry_id,
                owner_enterprise=enterprise, supervising_department_id=enterprise.supervising_department_id)
            count += 1
    return count
