"""The registry's sites as hazardous or sensitive kinds of the rule table (reads only).

Which registry records count: places by type (a gas station place is hazardous, a school
sensitive …) and major hazard installations by GB 18218 grade. Enterprises are not sites
themselves; a place or installation carries its enterprise and industry, so conflicts can be
listed per industry.
"""
from dataclasses import dataclass, field

import shapely
from shapely.geometry import shape

from citysafe.registry.models import Place, PlaceType
from citysafe.risks.models import MajorHazardInstallation
from citysafe.siting.models import HazardousKind, SensitiveKind

HAZARDOUS_PLACE_TYPES = {
    PlaceType.GAS_STATION: HazardousKind.GAS_STATION,
    PlaceType.HAZCHEM_SITE: HazardousKind.HAZCHEM_WAREHOUSE,
    PlaceType.GAS_WORKS: HazardousKind.LPG_STORAGE,  # gas storage and distribution stations
}
SENSITIVE_PLACE_TYPES = {
    PlaceType.SCHOOL: SensitiveKind.SCHOOL,
    PlaceType.HOSPITAL: SensitiveKind.HOSPITAL,
    PlaceType.MARKET: SensitiveKind.MARKET,
    PlaceType.COMMERCIAL_COMPLEX: SensitiveKind.MARKET,
    PlaceType.HIGH_RISE: SensitiveKind.RESIDENTIAL,
    PlaceType.HOTEL: SensitiveKind.CROWDED_PLACE,
    PlaceType.STATION: SensitiveKind.CROWDED_PLACE,
    PlaceType.RELIGIOUS_VENUE: SensitiveKind.CROWDED_PLACE,
}
GRADE_KINDS = {1: HazardousKind.MAJOR_HAZARD_1, 2: HazardousKind.MAJOR_HAZARD_2,
               3: HazardousKind.MAJOR_HAZARD_3, 4: HazardousKind.MAJOR_HAZARD_4}


@dataclass
class Site:
    ref: str                 # "place:12" / "installation:3"
    kind: str
    name: str
    lon: float
    lat: float
    geometry: object         # shapely, lon/lat
    township_id: int | None = None
    grid_id: int | None = None
    industry_id: int | None = None
    enterprise_id: int | None = None
    place_id: int | None = None
    people: int = 0
    extra: dict = field(default_factory=dict)


def _geometry(geojson, lon, lat):
    if geojson:
        try:
            geom = shape(geojson)
            if not geom.is_empty and geom.is_valid:
                return geom
        except (ValueError, TypeError, AttributeError, KeyError):
            pass
    return shapely.Point(lon, lat)


def _place_site(place: Place, kind: str) -> Site:
    enterprise = place.owner_enterprise
    return Site(ref=f"place:{place.pk}", kind=kind, name=place.name, lon=place.lon, lat=place.lat,
                geometry=_geometry(place.geometry, place.lon, place.lat), township_id=place.township_id,
                grid_id=place.grid_id, industry_id=place.industry_id or (enterprise.industry_id if enterprise else None),
                enterprise_id=place.owner_enterprise_id, place_id=place.pk,
                people=place.people_present or place.capacity or 0)


def _places(types: dict):
    return (Place.objects.filter(archived_at__isnull=True, place_type__in=list(types))
            .select_related("owner_enterprise").only(
                "id", "name", "place_type", "geometry", "lon", "lat", "township_id", "grid_id", "industry_id",
                "owner_enterprise_id", "owner_enterprise__industry_id", "people_present", "capacity"))


def hazardous_sites() -> list[Site]:
    sites = [_place_site(p, HAZARDOUS_PLACE_TYPES[p.place_type]) for p in _places(HAZARDOUS_PLACE_TYPES)]
    installations = (MajorHazardInstallation.objects.filter(archived_at__isnull=True, is_major=True,
                                                              grade__in=list(GRADE_KINDS))
                     .select_related("enterprise"))
    for unit in installations:
        sites.append(Site(ref=f"installation:{unit.pk}", kind=GRADE_KINDS[unit.grade],
                          name=f"{unit.enterprise.name} {unit.unit_name}", lon=unit.lon, lat=unit.lat,
                          geometry=_geometry(unit.geometry, unit.lon, unit.lat),
                          township_id=unit.township_id or unit.enterprise.township_id, grid_id=unit.grid_id,
                          industry_id=unit.enterprise.industry_id, enterprise_id=unit.enterprise_id,
                          extra={"grade": unit.grade}))
    return sites


def sensitive_sites() -> list[Site]:
    return [_place_site(p, SENSITIVE_PLACE_TYPES[p.place_type]) for p in _places(SENSITIVE_PLACE_TYPES)]
