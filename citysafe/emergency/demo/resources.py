"""Deterministic demo resources, plans and drills for the demo county (after load_demo):
created through the kinds' services as the admin, skipped where their code exists (idempotent).
The test session seeds the same records into the small county (conftest.py)."""
from datetime import date

from shapely.geometry import shape

from citysafe.core.roles import Role
from citysafe.emergency.kinds import KIND_BY_KEY
from citysafe.emergency.models import Plan
from citysafe.registry.models import Area, Enterprise

TEAM_TYPES = ["fire", "medical", "hazchem", "mountain", "volunteer"]
WATER_TEAMS = ["黄河东乡段水上救援队", "刘家峡库区水上救援队"]
SHELTER_TYPES = ["emergency", "short_term", "mid_term", "long_term"]
STATION_CLASSES = ["class_1", "class_2", "small", "suburban"]
# (name, category, unit, quantity, minimum)
MATERIALS = [("编织袋", "flood", "条", 5000, 2000), ("救生衣", "flood", "件", 60, 100),
             ("灭火器", "fire", "具", 40, 20), ("帐篷", "life", "顶", 30, 10), ("医用口罩", "medical", "个", 2000, 500)]


def _point(area):
    p = shape(area.geometry).representative_point()
    return round(p.x, 6), round(p.y, 6)


def _create(admin, key, code, data):
    kind = KIND_BY_KEY[key]
    found = kind.model.objects.filter(code=code).first()
    return found or kind.create(admin, {"code": code, **data})


def _placed(township, grid, enterprise=None):
    lon, lat = (enterprise.lon, enterprise.lat) if enterprise is not None and enterprise.lon is not None \
        else _point(grid or township)
    return {"township_id": township.pk, "grid_id": grid.pk if grid else None,
            "enterprise_id": enterprise.pk if enterprise else None, "lon": lon, "lat": lat}


def seed_resources(admin, *, materials_per_stockpile: int = 3) -> dict:
    from citysafe.accounts.models import User

    officer_enterprises = set(User.objects.filter(role=Role.ENTERPRISE).values_list("enterprise_id", flat=True))
    townships = list(Area.objects.filter(level="township").order_by("code"))
    county_plan = None
    for i, township in enumerate(townships):
        grids = list(Area.objects.filter(level="grid", township=township).order_by("code"))
        def g(n, grids=grids):
            return grids[n % len(grids)] if grids else None
        enterprise = Enterprise.objects.filter(township=township, grid__isnull=False).order_by("id").first()
        tag = township.code
        if i % 2 == 0:
            _create(admin, "fire-stations", f"XFZ-{tag}", {
                "name": f"{township.name}消防站", "station_class": STATION_CLASSES[(i // 2) % 4], "staff": 15 + i,
                "vehicle_count": 3, **_placed(township, g(0))})
        stockpile = _create(admin, "stockpiles", f"CBK-{tag}", {
            "name": f"{township.name}应急物资储备库", "level": "county" if i == 0 else "township",
            **_placed(township, g(1))})
        for n, (name, category, unit, quantity, minimum) in enumerate(MATERIALS[:materials_per_stockpile]):
            _create(admin, "materials", f"WZ-{tag}-{n}", {
                "stockpile_id": stockpile.pk, "name": name, "category": category, "unit": unit,
                "quantity": quantity, "minimum_stock": minimum})
        team_type = TEAM_TYPES[i % len(TEAM_TYPES)]
        _create(admin, "teams", f"DW-{tag}", {
            "name": f"{township.name}{KIND_BY_KEY['teams'].model.Type(team_type).label}队", "team_type": team_type,
            "member_count": 20, "skills": "搜救、破拆、急救", "equipment": "破拆工具组、生命探测仪",
            "vehicles": "抢险救援车1辆", "vehicle_count": 1, **_placed(township, g(2))})
        if i < len(WATER_TEAMS):
            _create(admin, "teams", f"SS-{tag}", {
                "name": WATER_TEAMS[i], "team_type": "water", "member_count": 12, "skills": "水上搜救、冲锋舟驾驶",
                "equipment": "冲锋舟2艘、救生圈、抛绳器", "vehicle_count": 1, **_placed(township, g(3))})
        _create(admin, "experts", f"ZJ-{tag}", {
            "name": f"专家{township.name[:2]}", "specialty": ["hazchem", "fire", "flood", "geology", "medical"][i % 5],
            "title": "高级工程师", **_placed(township, g(0))})
        shelter_type = SHELTER_TYPES[i % 4]
        _create(admin, "shelters", f"BN-{tag}", {
            "name": f"{township.name}中心广场避难场所", "shelter_type": shelter_type,
            "effective_area_m2": 6000.0 + 1000 * i, "capacity": 3000 + 500 * i, "facilities": "应急供水、厕所、照明",
            **_placed(township, g(1))})
        for n, source_type in enumerate(("hydrant", "pool")):
            _create(admin, "water-sources", f"SY-{tag}-{n}", {
                "name": f"{township.name}{'消火栓' if n == 0 else '消防水池'}{n + 1}", "source_type": source_type,
                "capacity_m3": None if n == 0 else 200.0, **_placed(township, g(n + 2))})
        _create(admin, "hospitals", f"YY-{tag}", {
            "name": f"{township.name}卫生院" if i else "东乡县人民医院", "grade": "grade2" if i == 0 else "clinic",
            "beds": 300 if i == 0 else 30, **_placed(township, g(3))})
        if county_plan is None:
            county_plan = _create(admin, "plans", "YA-COUNTY", {
                "name": "东乡族自治县突发事件总体应急预案", "level": "gov_overall", "township_id": township.pk,
                "status": "approved", "approved_on": date(2023, 6, 1)})
        plan = _create(admin, "plans", f"YA-{tag}", {
            "name": f"{township.name}突发事件应急预案", "level": "community", "township_id": township.pk,
            "parent_id": county_plan.pk, "status": "approved", "approved_on": date(2022, 3, 1) if i % 2 else
            date(2024, 3, 1)})
        drill = _create(admin, "drills", f"YL-{tag}", {
            "name": f"{township.name}防汛应急演练", "plan_id": plan.pk, "township_id": township.pk,
            "planned_on": date(2025, 6, 10), "held_on": date(2025, 6, 10) if i % 2 == 0 else None,
            "scenario": "强降雨引发山洪，转移低洼地带群众", "participant_count": 80, "findings": "预警信息传达不到位"})
        _create(admin, "drill-actions", f"GJ-{tag}", {
            "drill_id": drill.pk, "description": "完善村组预警“叫应”机制", "responsible": "乡镇应急办",
            "due_on": date(2025, 9, 30)})
        if enterprise is not None:
            officer_enterprises.add(enterprise.pk)
    for ent in Enterprise.objects.filter(pk__in=officer_enterprises - {None}).order_by("id"):
        township = ent.township
        tag = f"{ent.pk}"
        team = _create(admin, "teams", f"QYD-{tag}", {
            "name": f"{ent.name}应急救援队", "team_type": "enterprise", "member_count": 8,
            **_placed(township, ent.grid, ent)})
        stockpile = _create(admin, "stockpiles", f"QYK-{tag}", {
            "name": f"{ent.name}应急物资库", "level": "enterprise", **_placed(township, ent.grid, ent)})
        _create(admin, "materials", f"QYWZ-{tag}", {
            "stockpile_id": stockpile.pk, "name": "灭火器", "category": "fire", "unit": "具", "quantity": 10,
            "minimum_stock": 5})
        _create(admin, "mutual-aid", f"HZ-{tag}", {
            "name": f"{ent.name}应急救援互助协议", "township_id": township.pk, "enterprise_id": ent.pk,
            "team_id": team.pk, "signed_on": date(2025, 1, 1), "expires_on": date(2027, 12, 31)})
        plan = _create(admin, "plans", f"QYYA-{tag}", {
            "name": f"{ent.name}生产安全事故应急预案", "level": "enterprise", "township_id": township.pk,
            "enterprise_id": ent.pk, "parent_id": county_plan.pk if county_plan else None})
        drill = _create(admin, "drills", f"QYYL-{tag}", {
            "name": f"{ent.name}消防演练", "plan_id": plan.pk, "township_id": township.pk, "enterprise_id": ent.pk,
            "planned_on": date(2025, 5, 1), "held_on": date(2025, 5, 1), "participant_count": 30})
        _create(admin, "drill-actions", f"QYGJ-{tag}", {
            "drill_id": drill.pk, "description": "补充消防器材", "due_on": date(2025, 6, 30)})
    return {"plans": Plan.objects.count()}


def seed_incidents(admin, count: int = 2) -> list:
    """An incident in each of the first townships, for the scope matrices and the demo."""
    kind, made = KIND_BY_KEY["incidents"], []
    for township in Area.objects.filter(level="township").order_by("code")[:count]:
        title = f"演示：{township.name}仓库火灾"
        found = kind.model.objects.filter(title=title).first()
        if found is None:
            grid = Area.objects.filter(level="grid", township=township).order_by("code").first()
            lon, lat = _point(grid or township)
            found = kind.create(admin, {"title": title, "incident_type": "fire", "severity": "ordinary",
                                        "township_id": township.pk, "grid_id": grid.pk if grid else None,
                                        "lon": lon, "lat": lat, "injuries": 1})
        made.append(found)
    return made
