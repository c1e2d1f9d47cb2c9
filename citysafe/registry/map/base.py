"""The plain base layer: drawn from shipped data, so the map reads without a tile server.

County outline (settings.COUNTY_OUTLINE_PATH), the Yellow River and other rivers and lakes from
Natural Earth (CC0, settings.NATURAL_EARTH_DIR) clipped to the county's bounding box plus a
margin, and the caller's township outlines with their names and seats (each outline's
representative point). The water and county parts are the same for everyone and cached per
file mtime; the townships go through the same scoped selector as the townships layer.
"""
import hashlib
import json
import logging
from pathlib import Path

import shapely
from django.conf import settings
from django.core.cache import cache
from shapely.geometry import box, mapping, shape

from citysafe.registry.map.selectors import _round, area_features

log = logging.getLogger(__name__)

# Degrees around the county's bounding box: the river just outside still orients the reader.
MARGIN = 0.15
WATER_SIMPLIFY = 5e-4
WATER_FILES = {"river": "ne10m_rivers_gansu.geojson", "lake": "ne10m_lakes_gansu.geojson"}


def _read(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _mtime(path: Path) -> str:
    try:
        return f"{path.stat().st_mtime_ns}"
    except OSError:
        return "missing"


def _county_geometry():
    data = _read(Path(settings.COUNTY_OUTLINE_PATH))
    features = data.get("features") or [data]
    geoms = [shape(f.get("geometry", f)) for f in features]
    return shapely.union_all(geoms)


def _static_features() -> list[dict]:
    """County outline and water clipped to the county; built from files, no database."""
    county = _county_geometry()
    features = [{"type": "Feature", "geometry": mapping(_round(county.simplify(2e-4, preserve_topology=True))),
                 "properties": {"kind": "county"}}]
    minx, miny, maxx, maxy = county.bounds
    frame = box(minx - MARGIN, miny - MARGIN, maxx + MARGIN, maxy + MARGIN)
    directory = Path(settings.NATURAL_EARTH_DIR)
    for kind, filename in WATER_FILES.items():
        path = directory / filename
        if not path.exists():
            log.warning("map: %s missing; base layer drawn without it", path)
            continue
        for feature in _read(path).get("features", []):
            geom = shape(feature["geometry"])
            if not geom.intersects(frame):
                continue
            clipped = geom.intersection(frame).simplify(WATER_SIMPLIFY, preserve_topology=True)
            if clipped.is_empty:
                continue
            props = feature.get("properties") or {}
            features.append({"type": "Feature", "geometry": mapping(_round(clipped)),
                             "properties": {"kind": kind, "name": props.get("name") or ""}})
    return features


def static_base_features() -> list[dict]:
    paths = [Path(settings.COUNTY_OUTLINE_PATH)] + [Path(settings.NATURAL_EARTH_DIR) / f for f in WATER_FILES.values()]
    stamp = ":".join(f"{p}@{_mtime(p)}" for p in paths)
    key = "registry-map:base:" + hashlib.sha256(stamp.encode()).hexdigest()
    features = cache.get(key)
    if features is None:
        features = _static_features()
        cache.set(key, features, timeout=None)
    return features


def township_features(user) -> list[dict]:
    """The caller's township outlines, each with its name and seat (representative point)."""
    features = []
    for feature in area_features(user, "townships", {}):
        seat = shape(feature["geometry"]).representative_point()
        props = {"kind": "township", "name": feature["properties"]["name"], "id": feature["id"]}
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": props})
        features.append({"type": "Feature", "geometry": mapping(_round(seat)),
                         "properties": {"kind": "seat", "name": props["name"], "id": feature["id"]}})
    return features


def base_layer_json(user) -> str:
    features = static_base_features() + township_features(user)
    return json.dumps({"type": "FeatureCollection", "layer": "base", "features": features},
                      ensure_ascii=False, separators=(",", ":"))
