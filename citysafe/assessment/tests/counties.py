"""Two counties (东乡 and the demo's 广河) under the prefecture office for the assessment tests,
and a third county built on demand (the comparison's query-count test)."""
from dataclasses import dataclass

from citysafe.accounts.models import User
from citysafe.registry.models import Area, Enterprise

COUNTY_INDICATORS = [
    {"code": "C1", "name": "隐患按期整改销号", "weight": 40, "metric": "hazards_closed_on_time"},
    {"code": "C2", "name": "风险点按期复评", "weight": 30, "metric": "risk_points_reassessed"},
    {"code": "C3", "name": "安全生产责任制落实", "weight": 30},
]


@dataclass
class Counties:
    a: Area
    b: Area
    admin_a: User
    admin_b: User
    leader_b: User
    township_a: User
    department_a: User
    prefecture: User


def _user(username):
    return User.objects.select_related("organisation__area", "enterprise").get(username=username)


def build_two() -> Counties:
    from citysafe.hazards.demo_counties import seed_second_county_hazards
    from citysafe.registry.demo.second_county import build_second_county, ensure_prefecture
    from conftest import DEMO_PASSWORD

    ensure_prefecture(DEMO_PASSWORD)
    build_second_county(DEMO_PASSWORD)
    seed_second_county_hazards()
    a = Area.objects.get(level="county", code="622926")
    b = Area.objects.get(level="county", code="622924")
    township_area = Area.objects.filter(level="township", county=a).order_by("code")[0]
    return Counties(a, b, _user("admin"), _user("gh_admin"), _user("gh_leader"),
                    User.objects.filter(role="township", organisation__area=township_area).get(),
                    _user("dept_yjj"), _user("pref_admin"))


def add_county(code: str, name: str) -> Area:
    """A third county under the prefecture, with one township and one enterprise in it."""
    prefecture = Area.objects.get(level="prefecture")
    county = Area.objects.create(code=code, name=name, level=Area.Level.COUNTY, parent=prefecture, is_synthetic=True)
    county.county = county
    county.save(update_fields=["county"])
    township = Area.objects.create(code=f"{code}100", name=f"{name}城关镇", level=Area.Level.TOWNSHIP, parent=county,
                                   county=county, is_synthetic=True)
    from kernels.codes import uscc_check_character

    first17 = f"91{code}MA{int(code) % 10_000_000:07d}"
    template = Enterprise.objects.order_by("id").first()
    Enterprise.objects.create(name=f"{name}示例企业（演示）", uscc=first17 + uscc_check_character(first17),
                              industry=template.industry, lon=103.5, lat=35.2,
                              address=name, township=township, is_synthetic=True)
    return county
