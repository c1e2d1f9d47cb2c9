"""The demo county's synthetic road network (kernels.synthetic_roads) connecting the township
seats and villages inside the county outline; written once (idempotent)."""
from shapely.geometry import shape

from citysafe.emergency.models import RoadSegment
from citysafe.emergency.services.roads import write_rows
from citysafe.registry.models import Area

DEMO_SEED = 622926


def seed_roads(admin) -> int:
    if RoadSegment.objects.exists():
        return 0
    from kernels.road_import import synthetic_county_network

    county = Area.objects.get(level="county")
    outline = shape(county.geometry)
    seats = [shape(a.geometry).representative_point() for a in Area.objects.filter(level="township").order_by("code")]
    villages = [shape(a.geometry).representative_point() for a in Area.objects.filter(level="village").order_by("code")]
    rows = synthetic_county_network(outline, [(p.x, p.y) for p in seats], [(p.x, p.y) for p in villages],
                                    seed=DEMO_SEED)
    return write_rows(admin, rows, replace=False, synthetic=True, note="demo network")
