"""A plausible but synthetic pipe network in the demo county seat (锁南镇), so the underground
layers and the dig check show something: a street grid of 7 × 7 streets 200 m apart around the
township's seat, and under the streets water, drainage, gas, power, telecom and heating lines at
their usual offsets from the centre line, a utility tunnel under the main east-west street and an
oil-gas pipeline skirting the town — every line marked 合成演示数据 in its data source, owned by
synthetic operators (演示). Written through the services (validated, placed, audited); idempotent
(lines are found by code)."""
import pyproj
from shapely.geometry import shape

from citysafe.registry.models import Area, Enterprise, Industry
from citysafe.registry.services.enterprises import create_enterprise
from citysafe.siting.models import UndergroundLine, UtilityTunnel
from citysafe.siting.services.underground import create_line, create_tunnel
from kernels.codes import USCC_ALPHABET, uscc_check_character

GEOD = pyproj.Geod(ellps="WGS84")
SOURCE = "合成演示数据（非真实管线）"
STREETS, SPACING = 7, 200.0  # streets each way, metres apart
OPERATORS = [  # (key, name, industry code)
    ("gas", "东乡县燃气有限公司（演示）", "lpg"), ("water", "东乡县供排水有限公司（演示）", "water"),
    ("power", "国网东乡县供电公司（演示）", "energy"), ("telecom", "东乡县通信管线有限公司（演示）", "construction"),
    ("heating", "东乡县热力有限公司（演示）", "construction"), ("pipeline", "临夏油气管道有限公司（演示）", "energy")]
# kind → (offset from the street centre in metres, material, diameter mm, depth m, pressure, operator,
# which streets: "all", "even" (every other street) or "main" (the middle street each way))
LAYOUT = {
    "water": (3.0, "球墨铸铁", 300, 1.6, "", "water", "all"),
    "drainage": (-2.0, "钢筋混凝土", 800, 2.8, "", "water", "all"),
    "gas": (-5.0, "PE", 160, 1.2, "medium_a", "gas", "even"),
    "power": (6.0, "铜芯电缆（10 kV）", 150, 0.9, "", "power", "even"),
    "telecom": (7.5, "PVC", 110, 0.7, "", "telecom", "all"),
    "heating": (4.5, "钢", 400, 1.9, "", "heating", "main"),
}


def _uscc(index: int) -> str:
    body = "".join(USCC_ALPHABET[(index // 31 ** k) % 31] for k in range(8))[::-1]
    first17 = "91622926" + "P" + body
    return first17 + uscc_check_character(first17)


def _operators(admin, seat) -> dict[str, int]:
    found = {}
    for number, (key, name, industry) in enumerate(OPERATORS, start=1):
        enterprise = Enterprise.objects.filter(name=name).first()
        if enterprise is None:
            lon, lat, _ = GEOD.fwd(seat[0], seat[1], 45.0 * number, 300.0 + 40 * number)
            enterprise = create_enterprise(admin, {
                "name": name, "uscc": _uscc(900000 + number), "industry_id": Industry.objects.get(code=industry).pk,
                "lon": lon, "lat": lat, "is_synthetic": True})
        found[key] = enterprise.pk
    return found


def _at(origin, east: float, north: float):
    lon, lat, _ = GEOD.fwd(origin[0], origin[1], 90.0, east)
    lon, lat, _ = GEOD.fwd(lon, lat, 0.0, north)
    return [round(lon, 7), round(lat, 7)]


def _streets(origin):
    """(name, direction, index, segments as (start, end) in local metres east/north of the origin)."""
    half = (STREETS - 1) / 2 * SPACING
    for i in range(STREETS):
        across = i * SPACING - half
        for j in range(STREETS - 1):
            a, b = j * SPACING - half, (j + 1) * SPACING - half
            yield "ew", i, j, ((a, across), (b, across))
            yield "ns", i, j, ((across, a), (across, b))


def build_underground_demo(admin) -> dict:
    township = Area.objects.filter(level=Area.Level.TOWNSHIP).order_by("code").first()
    if township is None or not township.geometry:
        return {"lines": 0, "tunnels": 0}
    seat = shape(township.geometry).representative_point()
    origin = (seat.x, seat.y)
    owners = _operators(admin, origin)
    existing = set(UndergroundLine.objects.values_list("code", flat=True))
    made = 0
    main = (STREETS - 1) // 2
    for direction, i, j, ((e0, n0), (e1, n1)) in _streets(origin):
        for kind, (offset, material, diameter, depth, pressure, owner, which) in LAYOUT.items():
            if (which == "even" and i % 2) or (which == "main" and i != main):
                continue
            code = f"YS-{kind[:2].upper()}-{direction.upper()}{i}{j}"
            if code in existing:
                continue
            shift = (0.0, offset) if direction == "ew" else (offset, 0.0)
            geometry = {"type": "LineString", "coordinates": [_at(origin, e0 + shift[0], n0 + shift[1]),
                                                              _at(origin, e1 + shift[0], n1 + shift[1])]}
            create_line(admin, {
                "code": code, "name": f"演示{'东西' if direction == 'ew' else '南北'}{i + 1}路", "line_kind": kind,
                "material": material, "diameter_mm": diameter, "depth_m": depth, "pressure_class": pressure,
                "owner_enterprise_id": owners[owner], "year_laid": 2008 + (i + j) % 15, "data_source": SOURCE,
                "geometry": geometry, "is_synthetic": True})
            made += 1
    half = (STREETS - 1) / 2 * SPACING
    if "YS-IN-1" not in existing:  # an oil-gas pipeline skirting the town 300 m east of its edge
        create_line(admin, {"code": "YS-IN-1", "name": "演示输油气管道", "line_kind": "industrial", "material": "钢（3PE防腐）",
                            "diameter_mm": 508, "depth_m": 1.8, "owner_enterprise_id": owners["pipeline"],
                            "year_laid": 2012, "data_source": SOURCE, "is_synthetic": True,
                            "geometry": {"type": "LineString", "coordinates": [
                                _at(origin, half + 300, -half), _at(origin, half + 320, 0), _at(origin, half + 300, half)]}})
        made += 1
    tunnels = 0
    if not UtilityTunnel.objects.filter(code="YS-GL-1").exists():
        create_tunnel(admin, {"code": "YS-GL-1", "name": "演示综合管廊（东西主街）", "depth_m": 4.0,
                              "compartments": "综合舱（给水DN300、通信）、电力舱（10 kV电缆）", "owner_enterprise_id": owners["water"],
                              "year_laid": 2020, "data_source": SOURCE, "is_synthetic": True,
                              "geometry": {"type": "LineString", "coordinates": [_at(origin, -half, 10), _at(origin, half, 10)]}})
        tunnels = 1
    return {"lines": made, "tunnels": tunnels}


def seed_underground_samples(admin) -> int:
    """A few lines and a tunnel in the grids of the first two townships farthest from their seats
    (so they stay clear of the demo network and of tests measuring from a seat): the records the
    generated scope matrices read."""
    made = 0
    for township in Area.objects.filter(level=Area.Level.TOWNSHIP).order_by("code")[:2]:
        seat = shape(township.geometry).representative_point()
        grids = sorted(Area.objects.filter(level=Area.Level.GRID, township=township, archived_at__isnull=True)
                       .exclude(geometry=None), key=lambda g: -shape(g.geometry).representative_point().distance(seat))[:2]
        owner = Enterprise.objects.filter(township=township).order_by("id").values_list("pk", flat=True).first()
        for index, grid in enumerate(grids):
            start = shape(grid.geometry).representative_point()
            geometry = {"type": "LineString", "coordinates": [[start.x, start.y], _at((start.x, start.y), 40.0, 0.0)]}
            code = f"SAMPLE-{township.code}-{index}"
            if not UndergroundLine.objects.filter(code=code).exists():
                create_line(admin, {"code": code, "line_kind": ("gas", "water")[index % 2], "geometry": geometry,
                                    "owner_enterprise_id": owner if index == 0 else None, "data_source": SOURCE,
                                    "is_synthetic": True})
                made += 1
            if index == 0 and not UtilityTunnel.objects.filter(code=f"{code}-GL").exists():
                create_tunnel(admin, {"code": f"{code}-GL", "name": "演示管廊", "geometry": geometry,
                                      "owner_enterprise_id": owner, "data_source": SOURCE, "is_synthetic": True})
                made += 1
    return made
