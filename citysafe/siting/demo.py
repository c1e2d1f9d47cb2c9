"""Demo data of the siting app (after load_demo and load_risk_demo): a few schools, a kindergarten
and a market placed too close to demo gas stations (through the registry's place service), then
the conflict analysis, and the restricted / obsolete industry matching (the demo's starch and
flour mills and chemical stores match the seeded catalogue), and a synthetic pipe network in the
county seat (underground_demo). Idempotent: the demo places are found by name."""
import pyproj

from citysafe.accounts.models import User
from citysafe.registry.models import Place
from citysafe.registry.services.places import create_place
from citysafe.siting.services.catalogue import rematch
from citysafe.siting.services.conflicts import recompute_conflicts
from citysafe.siting.underground_demo import build_underground_demo

GEOD = pyproj.Geod(ellps="WGS84")
# (name suffix, place type, metres east of the station, people)
NEIGHBOURS = [("希望小学", "school", 35.0, 420), ("幼儿园", "school", 45.0, 160), ("集贸市场", "market", 18.0, 600),
              ("卫生院", "hospital", 80.0, 90)]  # the last one complies (50 m rule): not a conflict
STATIONS = 3


def build_siting_demo() -> dict:
    admin = User.objects.get(username="admin")
    created = 0
    stations = Place.objects.filter(place_type="gas_station", archived_at__isnull=True).order_by("id")[:STATIONS]
    for station in stations:
        for suffix, place_type, metres, people in NEIGHBOURS:
            name = f"{station.name.removesuffix('加油站')}{suffix}（演示）"
            if Place.objects.filter(name=name).exists():
                continue
            lon, lat, _ = GEOD.fwd(station.lon, station.lat, 90.0, metres)
            create_place(admin, {"name": name, "place_type": place_type, "people_present": people,
                                 "geometry": {"type": "Point", "coordinates": [lon, lat]}, "is_synthetic": True})
            created += 1
    matches = rematch(note="load_siting_demo")
    underground = build_underground_demo(admin)
    return {"places": created, **recompute_conflicts(note="load_siting_demo"), "catalogue_matches": matches["current"],
            "underground_lines": underground["lines"], "utility_tunnels": underground["tunnels"]}
