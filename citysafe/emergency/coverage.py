"""Coverage planning (C14): fire-station 5-minute coverage of grids, places and population,
shelter capacity against population per township, fire water sources per km², suggested sites
for a new station. Computed from the kernels over the cached road network on request.

What is computed county-wide and what is shown: fire stations cover across township borders, so
coverage always uses every fire station of the user's county (`scope.in_counties`: another
county's stations and shelters neither count nor show, issue 19); the rows listed (townships,
grids, places) are those the user may see (core.scope.narrow)."""
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from citysafe.core import scope
from citysafe.emergency.models import FireStation, Shelter, WaterSource
from citysafe.emergency.network import load_network
from citysafe.registry.models import Area, Place
from kernels import coverage, routing
from kernels.road_network import local_transformer

SUGGESTED_SITES = 3
UNCOVERED_LISTED = 100
MAX_CANDIDATES = 2000


@dataclass
class TownshipRow:
    area: Area
    km2: float
    population: int
    places: int = 0
    places_covered: int = 0
    people: int = 0
    people_covered: int = 0
    grids: int = 0
    grids_covered: int = 0
    water_sources: int = 0
    shelter_area_m2: float = 0.0
    shelter_places: int = 0          # people the shelters hold at their type's per-capita area
    shelter_deficit: int = 0         # people without a place (kernels.coverage.shelter_deficits)
    beyond_radius: int = 0           # village population farther than every shelter's service radius

    @property
    def water_per_km2(self) -> float:
        return self.water_sources / self.km2 if self.km2 else 0.0


@dataclass
class Report:
    has_network: bool
    seconds: float
    townships: list = field(default_factory=list)
    uncovered_grids: list = field(default_factory=list)
    uncovered_places: list = field(default_factory=list)
    sites: list = field(default_factory=list)          # (lon, lat, people added)
    isochrone: dict | None = None
    uncovered_geometries: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def _km2(geometry: dict) -> float:
    geom = shape(geometry)
    c = geom.centroid
    transformer = local_transformer(round(c.x, 4), round(c.y, 4))
    projected = shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    return projected.area / 1e6


def _per_capita(shelter_type: str) -> float:
    return coverage.SHELTER_TYPES[shelter_type].per_capita_m2


def coverage_report(user, seconds: float = coverage.RESPONSE_SECONDS, sites: int = SUGGESTED_SITES) -> Report:
    loaded = load_network()
    network = loaded.network
    report = Report(has_network=network is not None, seconds=seconds)
    townships = list(scope.narrow(user, Area.objects.filter(level="township")).order_by("code"))
    rows = {t.pk: TownshipRow(t, _km2(t.geometry) if t.geometry else 0.0, t.population or 0) for t in townships}
    report.townships = list(rows.values())
    stations = list(scope.in_counties(user, FireStation.objects.filter(lon__isnull=False)).order_by("id"))
    places = list(scope.narrow(user, Place.objects.all()).order_by("id").values(
        "id", "name", "lon", "lat", "township_id", "people_present", "capacity"))
    grids = list(scope.narrow(user, Area.objects.filter(level="grid")).order_by("code"))
    for source in scope.narrow(user, WaterSource.objects.filter(is_working=True)).values("township_id"):
        if source["township_id"] in rows:
            rows[source["township_id"]].water_sources += 1
    for shelter in scope.narrow(user, Shelter.objects.all()).values("township_id", "shelter_type", "effective_area_m2"):
        row = rows.get(shelter["township_id"])
        if row is not None:
            row.shelter_area_m2 += shelter["effective_area_m2"]
            row.shelter_places += int(shelter["effective_area_m2"] / _per_capita(shelter["shelter_type"]))
    # Deficit in people: what the population needs at the emergency per-capita area (the
    # smallest, 0.5 m²: everyone must at least reach an emergency shelter) minus what is there.
    if rows:
        needed = coverage.shelter_deficits([r.population for r in rows.values()],
                                           [r.shelter_places * _per_capita("emergency") for r in rows.values()],
                                           _per_capita("emergency"))
        for row, missing_m2 in zip(rows.values(), needed, strict=True):
            row.shelter_deficit = int(round(missing_m2 / _per_capita("emergency")))
    _beyond_shelter_radius(user, rows)
    if network is None:
        return report
    station_nodes, _m = routing.snap_many(network, [s.lon for s in stations], [s.lat for s in stations]) \
        if stations else (np.zeros(0, dtype=np.int64), None)
    people = np.array([p["people_present"] or p["capacity"] or 0 for p in places], dtype=float)
    if places:
        place_nodes, place_m = routing.snap_many(network, [p["lon"] for p in places], [p["lat"] for p in places])
        covered = coverage.coverage_of_points(network, station_nodes, place_nodes, place_m, seconds) \
            if len(station_nodes) else np.zeros(len(places), dtype=bool)
    else:
        place_nodes, covered = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    for place, is_covered, n in zip(places, covered, people, strict=True):
        row = rows.get(place["township_id"])
        if row is None:
            continue
        row.places += 1
        row.people += int(n)
        if is_covered:
            row.places_covered += 1
            row.people_covered += int(n)
    report.uncovered_places = sorted(
        [dict(p, people=int(n)) for p, c, n in zip(places, covered, people, strict=True) if not c],
        key=lambda p: (-p["people"], p["id"]))[:UNCOVERED_LISTED]
    if grids:
        points = [shape(g.geometry).representative_point() for g in grids]
        grid_nodes, grid_m = routing.snap_many(network, [p.x for p in points], [p.y for p in points])
        grid_covered = coverage.coverage_of_points(network, station_nodes, grid_nodes, grid_m, seconds) \
            if len(station_nodes) else np.zeros(len(grids), dtype=bool)
        for grid, is_covered in zip(grids, grid_covered, strict=True):
            row = rows.get(grid.township_id)
            if row is not None:
                row.grids += 1
                row.grids_covered += int(bool(is_covered))
            if not is_covered:
                report.uncovered_grids.append(grid)
                report.uncovered_geometries.append({"type": "Feature", "geometry": grid.geometry,
                                                    "properties": {"kind": "uncovered", "name": grid.name}})
    if len(station_nodes):
        report.isochrone = {"type": "Feature", "geometry": mapping(routing.isochrone(network, station_nodes, seconds)),
                            "properties": {"kind": "isochrone", "name": f"{seconds / 60:g} min"}}
    if places and sites:
        # Candidate sites are road nodes; a large network is thinned evenly to MAX_CANDIDATES,
        # since greedy_sites searches once from every candidate.
        candidates = np.unique(np.linspace(0, network.n_nodes - 1, min(network.n_nodes, MAX_CANDIDATES)).astype(int))
        chosen = coverage.greedy_sites(network, candidates, place_nodes, people, seconds=seconds, k=sites,
                                       existing_nodes=station_nodes)
        for index, added in chosen:
            lon, lat = network.node_lonlat[candidates[index]]
            report.sites.append((round(float(lon), 6), round(float(lat), 6), int(added)))
    report.totals = {
        "places": sum(r.places for r in rows.values()), "places_covered": sum(r.places_covered for r in rows.values()),
        "people": sum(r.people for r in rows.values()), "people_covered": sum(r.people_covered for r in rows.values()),
        "grids": sum(r.grids for r in rows.values()), "grids_covered": sum(r.grids_covered for r in rows.values()),
        "stations": len(stations)}
    return report


def report_geojson(report: Report, stations=()) -> dict:
    features = list(report.uncovered_geometries)
    if report.isochrone:
        features.insert(0, report.isochrone)
    for station in stations:
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [station.lon, station.lat]},
                         "properties": {"kind": "station", "name": station.name}})
    for lon, lat, added in report.sites:
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": {"kind": "site", "name": f"+{added}"}})
    return {"type": "FeatureCollection", "features": features}


def _beyond_shelter_radius(user, rows: dict) -> None:
    """Per township, the population of villages (at their representative point) outside the
    service radius of every shelter (SHELTER_TYPES: 0.5–2.5 km by type), straight-line in a local
    projection. Every shelter of the county counts, whichever township it lies in."""
    shelters = list(scope.in_counties(user, Shelter.objects.filter(lon__isnull=False))
                    .values_list("lon", "lat", "shelter_type"))
    villages = list(scope.narrow(user, Area.objects.filter(level="village", township_id__in=list(rows))))
    if not villages:
        return
    points = [shape(v.geometry).representative_point() for v in villages]
    transformer = local_transformer(round(points[0].x, 4), round(points[0].y, 4))
    vx, vy = transformer.transform([p.x for p in points], [p.y for p in points])
    inside = np.zeros(len(villages), dtype=bool)
    if shelters:
        sx, sy = transformer.transform([s[0] for s in shelters], [s[1] for s in shelters])
        radius = np.array([coverage.SHELTER_TYPES[s[2]].radius_m for s in shelters])
        distance = np.hypot(np.subtract.outer(np.asarray(vx), sx), np.subtract.outer(np.asarray(vy), sy))
        inside = (distance <= radius).any(axis=1)
    for village, is_inside in zip(villages, inside, strict=True):
        if not is_inside:
            rows[village.township_id].beyond_radius += village.population or 0
