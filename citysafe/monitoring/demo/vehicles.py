"""Demo vehicles (两客一危) for the demo county: per township a passenger coach, a tourist bus
and a hazardous-goods truck of a local enterprise, on approved routes through the township;
restricted zones around schools (school-run hours) and markets (all day). Idempotent."""
from citysafe.monitoring.models import GoodsClass, RestrictedZone, Vehicle, VehicleType
from citysafe.monitoring.services.devices import create_vehicle
from citysafe.registry.models import Area, Enterprise, Place

FLEET = [(VehicleType.COACH, "", 100, "客"), (VehicleType.TOUR_BUS, "", 100, "游"),
         (VehicleType.HAZMAT, GoodsClass.C3, 60, "危")]


def build_vehicle_demo(admin, *, verbose=print) -> int:
    """A vehicle reports through its township's demo gateway (build.py makes them first)."""
    from citysafe.monitoring.models import Gateway

    made = 0
    for n, township in enumerate(Area.objects.filter(level="township").order_by("code")):
        enterprise = Enterprise.objects.filter(township=township, lon__isnull=False, archived_at__isnull=True) \
            .order_by("id").first()
        if enterprise is None:
            continue
        gateway = Gateway.objects.filter(code=f"GW-{township.code}").values_list("pk", flat=True).first()
        lon, lat = enterprise.lon, enterprise.lat
        route = [[round(lon, 5), round(lat, 5)], [round(lon + 0.03, 5), round(lat + 0.015, 5)],
                 [round(lon + 0.07, 5), round(lat + 0.01, 5)]]
        for k, (vehicle_type, goods, limit, mark) in enumerate(FLEET):
            code = f"GPS-{township.code}-{k}"
            if Vehicle.objects.filter(code=code).exists():
                continue
            create_vehicle(admin, {"code": code, "name": f"{enterprise.name}{VehicleType(vehicle_type).label}",
                                   "plate": f"甘N{mark}{n:02d}{k:02d}", "vehicle_type": vehicle_type,
                                   "goods_class": goods, "permit_no": f"甘交运管{township.code}{k:03d}",
                                   "speed_limit": limit, "route": route, "route_tolerance_m": 500,
                                   "enterprise_id": enterprise.pk, "gateway_id": gateway, "lon": lon, "lat": lat})
            made += 1
    Vehicle.objects.filter(code__startswith="GPS-").update(is_synthetic=True)
    zones = 0
    for place_type, (start, end, radius) in {"school": (7, 9, 300), "market": (0, 0, 200)}.items():
        for place in Place.objects.filter(place_type=place_type, lon__isnull=False).order_by("id")[:6]:
            _zone, created = RestrictedZone.objects.get_or_create(
                name=f"{place.name}禁行区", defaults={"lon": place.lon, "lat": place.lat, "radius_m": radius,
                                                    "start_hour": start, "end_hour": end})
            zones += created
    # a drawn polygon (禁行区) across the first demo route's second leg: rush hours, hazmat
    first = Vehicle.objects.filter(code__startswith="GPS-").order_by("code").first()
    if first is not None and len(first.route) > 2:
        (lon1, lat1), (lon2, lat2) = first.route[1], first.route[2]
        lon, lat = (lon1 + lon2) / 2, (lat1 + lat2) / 2
        ring = [[round(lon - 0.004, 5), round(lat - 0.003, 5)], [round(lon + 0.005, 5), round(lat - 0.004, 5)],
                [round(lon + 0.006, 5), round(lat + 0.003, 5)], [round(lon - 0.002, 5), round(lat + 0.005, 5)]]
        if not RestrictedZone.objects.filter(name="县城高峰时段禁行区").exists():
            from citysafe.monitoring.services.zones import create_zone

            create_zone(admin, {"name": "县城高峰时段禁行区", "polygon": ring, "start_hour": 17, "end_hour": 19,
                                "applies_to_all": False})
            zones += 1
    verbose(f"monitoring demo: {made} new vehicles, {zones} restricted zones")
    return made
