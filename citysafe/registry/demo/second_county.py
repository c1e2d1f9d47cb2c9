"""A second county in the demo deployment, to show that counties are kept apart (issue 19):
广河县 (622924), a real neighbour of 东乡族自治县 under 临夏回族自治州 (622900), 甘肃省 (620000).

The shared data has only Dongxiang's outline, so 广河县's outline here is SYNTHETIC (a hexagon
south of Dongxiang and clear of its outline, `is_synthetic=True`, "（示意边界）" in its name); its
townships carry real town names with made-up codes, its enterprises, hazards and accounts are
made up. Written with the ORM like build_county (no services: the county outline validator
knows only Dongxiang's outline).

`ensure_prefecture` puts the tree above the counties (province, prefecture, the existing county
under it) and the prefecture office's account `pref_admin`; `build_second_county` adds 广河县.
"""
import math

from django.contrib.auth.hashers import make_password
from django.db import transaction

from citysafe.accounts.models import Organisation, User
from citysafe.core.roles import Role
from citysafe.registry.models import Area, Enterprise, Industry, Person

PROVINCE = ("620000", "甘肃省")
PREFECTURE = ("622900", "临夏回族自治州")
COUNTY = ("622924", "广河县（示意边界）")
CENTRE = (103.60, 35.36)  # south of Dongxiang (clear of its outline); the outline around it is a made-up hexagon
TOWNSHIPS = [("622924100", "城关镇"), ("622924101", "三甲集镇"), ("622924102", "祁家集镇")]
PREFIX = "gh"  # organisation codes and usernames of the second county


def _hexagon(cx: float, cy: float, r: float) -> dict:
    ring = [[round(cx + r * math.cos(math.pi / 3 * k), 5), round(cy + r * math.sin(math.pi / 3 * k), 5)]
            for k in range(6)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def _area(code, name, level, parent, geometry=None, **extra) -> Area:
    area = Area(code=code, name=name, level=level, parent=parent, geometry=geometry, is_synthetic=True, **extra)
    if geometry:
        xs = [p[0] for p in geometry["coordinates"][0]]
        ys = [p[1] for p in geometry["coordinates"][0]]
        area.min_lon, area.min_lat, area.max_lon, area.max_lat = min(xs), min(ys), max(xs), max(ys)
    area.save()
    return area


@transaction.atomic
def ensure_prefecture(password: str = "Demo-2026!") -> Area:  # noqa: S107 (the documented demo password)
    """Province and prefecture above the existing county, and the prefecture office (pref_admin)."""
    province = Area.objects.filter(code=PROVINCE[0]).first() or _area(*PROVINCE, Area.Level.PROVINCE, None)
    prefecture = Area.objects.filter(code=PREFECTURE[0]).first() or _area(*PREFECTURE, Area.Level.PREFECTURE,
                                                                           province)
    Area.objects.filter(level=Area.Level.COUNTY, parent__isnull=True).update(parent=prefecture)
    office, _ = Organisation.objects.get_or_create(
        code="lxz_aw", defaults={"kind": Organisation.Kind.OFFICE, "name": "临夏州安全生产委员会办公室",
                                 "area": prefecture})
    if not User.objects.filter(username="pref_admin").exists():
        User.objects.create(username="pref_admin", role=Role.PREFECTURE, organisation=office,
                            last_name="州安委办", password=make_password(password))
    return prefecture


@transaction.atomic
def build_second_county(password: str = "Demo-2026!") -> dict:  # noqa: S107
    """广河县 with three townships (one village and grid each), a county office, the emergency
    management bureau, accounts (gh_admin, gh_leader, gh_dept_yjj, gh_township_01…, gh_grid_01…,
    gh_ent_01), two enterprises per township and their safety managers (its hazards:
    hazards.demo_counties)."""
    if Area.objects.filter(code=COUNTY[0]).exists():
        return {}
    prefecture = ensure_prefecture(password)
    cx, cy = CENTRE
    county = _area(*COUNTY, Area.Level.COUNTY, prefecture, _hexagon(cx, cy, 0.12))
    county.county = county
    county.save(update_fields=["county"])
    hashed = make_password(password)
    office = Organisation.objects.create(kind=Organisation.Kind.OFFICE, code=f"{PREFIX}_aw",
                                         name="广河县安全生产委员会办公室", area=county)
    bureau = Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, code=f"{PREFIX}_yjj",
                                         name="广河县应急管理局", area=county)
    dongxiang_bureau = Organisation.objects.filter(code="yjj").first()
    industries = list(dongxiang_bureau.industries.all()) if dongxiang_bureau else list(Industry.objects.all()[:3])
    bureau.industries.set(industries)
    User.objects.bulk_create([
        User(username=f"{PREFIX}_admin", role=Role.ADMIN, organisation=office, last_name="广河县安委办", is_staff=True,
             password=hashed),
        User(username=f"{PREFIX}_leader", role=Role.LEADER, organisation=office, last_name="广河县领导", password=hashed),
        User(username=f"{PREFIX}_dept_yjj", role=Role.DEPARTMENT, organisation=bureau, last_name=bureau.name,
             password=hashed),
    ])
    counts = {"townships": 0, "enterprises": 0}
    for index, (code, name) in enumerate(TOWNSHIPS):
        angle = math.pi * 2 / len(TOWNSHIPS) * index
        tx, ty = cx + 0.06 * math.cos(angle), cy + 0.06 * math.sin(angle)
        township = _area(code, name, Area.Level.TOWNSHIP, county, _hexagon(tx, ty, 0.035), county=county)
        township.township = township
        township.save(update_fields=["township"])
        village = _area(f"{code}200", f"{name}中心村", Area.Level.VILLAGE, township, _hexagon(tx, ty, 0.02),
                        township=township, county=county)
        grid = _area(f"{code}20001", f"{name}中心村第1网格", Area.Level.GRID, village, _hexagon(tx, ty, 0.015),
                     township=township, county=county)
        organisation = Organisation.objects.create(kind=Organisation.Kind.TOWNSHIP, code=f"{PREFIX}_xz{code}",
                                                   name=f"{name}人民政府", area=township)
        User.objects.create(username=f"{PREFIX}_township_{index + 1:02d}", role=Role.TOWNSHIP,
                            organisation=organisation, last_name=name, password=hashed)
        grid_user = User.objects.create(username=f"{PREFIX}_grid_{index + 1:02d}", role=Role.GRID,
                                        organisation=organisation, last_name=grid.name, password=hashed)
        grid_user.grids.add(grid)
        for number in range(2):
            industry = industries[(index + number) % len(industries)]
            enterprise = Enterprise.objects.create(
                name=f"广河县{name}示例{industry.name}企业{number + 1}（演示）",
                uscc=_uscc(index * 2 + number + 1), industry=industry, address=f"广河县{name}",
                lon=tx + 0.004 * (number + 1), lat=ty, township=township, village=village, grid=grid,
                supervising_department=bureau, is_synthetic=True)
            Person.objects.create(name=f"马{name[0]}{number + 1}", phone=f"1390930{index:02d}{number:02d}",
                                  title="安全管理负责人", enterprise=enterprise, township=township, grid=grid,
                                  is_synthetic=True)
            if index == 0 and number == 0:
                User.objects.create(username=f"{PREFIX}_ent_01", role=Role.ENTERPRISE, enterprise=enterprise,
                                    last_name=enterprise.name, password=hashed)
            counts["enterprises"] += 1
        counts["townships"] += 1
    return counts


def _uscc(number: int) -> str:
    from kernels.codes import uscc_check_character

    first17 = f"91622924MA{number:07d}"
    return first17 + uscc_check_character(first17)
