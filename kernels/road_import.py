"""Road files into road rows for kernels.road_network.build_network (issue 13). Pure parsing.

Each row is a dict: `line` (shapely LineString, lon/lat), `speed_kmh`, `oneway` (travel along
the line only), `closed`, `road_class`, `name`, and `row` (the feature / way index in the file,
what errors name). Errors are NetworkError(row=…, code=…); nothing is returned half-read.

Speeds by road class when the file gives none (`ROAD_CLASS_SPEED_KMH`): typical county speeds
for an emergency vehicle in traffic, below the legal limits of GB 5768 / the road traffic law:

| class | km/h |   | class | km/h |
|---|---|---|---|---|
| motorway | 80 |  | tertiary | 30 |
| trunk | 60 |  | residential, unclassified | 20 |
| primary | 50 |  | service | 15 |
| secondary | 40 |  | living_street, track | 10 |

`*_link` roads take the speed of their class. OSM ways of other highway values (footway, path,
cycleway, steps, construction …) are not drivable and are skipped; in GeoJSON an unknown class
is an error (`bad_road_class`), a missing one is `unclassified`.
"""
from __future__ import annotations

import json
import re
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception; parsing is defusedxml's

import defusedxml
import defusedxml.ElementTree
import numpy as np
import shapely

from kernels.road_network import NetworkError, RoadNetwork, _as_coords, build_network
from kernels.synthetic_roads import synthetic_county_network

__all__ = ["ROAD_CLASS_SPEED_KMH", "network_from_roads", "read_geojson_roads", "read_osm_xml",
           "synthetic_county_network"]

ROAD_CLASS_SPEED_KMH: dict[str, float] = {
    "motorway": 80.0,
    "trunk": 60.0,
    "primary": 50.0,
    "secondary": 40.0,
    "tertiary": 30.0,
    "residential": 20.0,
    "unclassified": 20.0,
    "service": 15.0,
    "living_street": 10.0,
    "track": 10.0,
}
_ONEWAY = {"yes": 1, "true": 1, "1": 1, "-1": -1, "reverse": -1, "no": 0, "false": 0, "0": 0}
_SPEED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km/h|kmh|kph|mph)?\s*$", re.IGNORECASE)


def default_speed(road_class: str) -> float | None:
    base = road_class.removesuffix("_link")
    return ROAD_CLASS_SPEED_KMH.get(base)


def _parse_speed(value) -> float | None:
    """km/h from a number or an OSM maxspeed string ("50", "50 km/h", "30 mph"); None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _SPEED.match(str(value))
    if not match:
        return None
    speed = float(match.group(1))
    return speed * 1.609344 if (match.group(2) or "").lower() == "mph" else speed


def _oneway(value, row: int) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    key = str(value).strip().lower()
    if key not in _ONEWAY:
        raise NetworkError(f"oneway must be yes/no/true/false/1/0/-1, got {value!r}", row=row, code="bad_oneway")
    return _ONEWAY[key]


def _road(coords, *, speed: float, oneway: int, closed: bool, road_class: str, name: str, row: int) -> dict:
    coords = _as_coords(coords, row)
    if oneway == -1:  # OSM oneway=-1: traffic goes against the way's direction
        coords = coords[::-1]
    if not (np.isfinite(speed) and 0 < speed <= 300):
        raise NetworkError(f"speed must be in (0, 300] km/h, got {speed}", row=row, code="bad_speed")
    return {"line": shapely.LineString(coords), "speed_kmh": float(speed), "oneway": oneway != 0,
            "closed": bool(closed), "road_class": road_class, "name": name, "row": row}


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def read_geojson_roads(data: bytes | str | dict) -> list[dict]:
    """Roads from a GeoJSON FeatureCollection (or one Feature) of LineStrings/MultiLineStrings.
    Properties: road_class (or highway/class/fclass), speed_kmh (or maxspeed), oneway, closed,
    name. A MultiLineString gives one road per part, all with the feature's row."""
    if not isinstance(data, dict):
        try:
            data = json.loads(data, parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError) as error:
            raise NetworkError(f"not valid JSON: {error}", code="bad_json") from None
    if not isinstance(data, dict):
        raise NetworkError("GeoJSON must be an object", code="bad_json")
    if data.get("type") == "Feature":
        features = [data]
    elif data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        features = data["features"]
    else:
        raise NetworkError("GeoJSON must be a FeatureCollection of road lines", code="bad_json")
    roads = []
    for row, feature in enumerate(features):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        if not isinstance(geometry, dict) or not isinstance(props, dict):
            raise NetworkError("a road needs a geometry object", row=row, code="bad_geometry")
        kind, coords = geometry.get("type"), geometry.get("coordinates")
        if kind == "LineString":
            parts = [coords]
        elif kind == "MultiLineString" and isinstance(coords, list):
            parts = coords
        else:
            raise NetworkError(f"a road must be a LineString or MultiLineString, not {kind}", row=row,
                               code="bad_geometry")
        road_class = next((props[k] for k in ("road_class", "highway", "class", "fclass") if props.get(k)),
                          "unclassified")
        default = default_speed(str(road_class))
        if default is None:
            raise NetworkError(f"unknown road class {road_class!r}; known: {', '.join(ROAD_CLASS_SPEED_KMH)}",
                               row=row, code="bad_road_class")
        given = next((props[k] for k in ("speed_kmh", "maxspeed") if props.get(k) is not None), None)
        speed = default if given is None else _parse_speed(given)
        if speed is None:
            raise NetworkError(f"speed must be a number in km/h, got {given!r}", row=row, code="bad_speed")
        oneway = _oneway(props.get("oneway"), row)
        for part in parts:
            roads.append(_road(part, speed=speed, oneway=oneway, closed=bool(props.get("closed") or False),
                               road_class=str(road_class), name=str(props.get("name") or ""), row=row))
    return roads


def read_osm_xml(data: bytes) -> list[dict]:
    """Drivable roads from OpenStreetMap XML (`<node>`s and `<way>`s with a `highway` tag).
    `row` is the way's index among the file's `<way>` elements. oneway=yes/true/1 or -1
    (reversed); motorways and roundabouts are one-way unless tagged otherwise; maxspeed in
    km/h or mph, else the class default. Parsed with defusedxml: a DTD, entity declarations
    (billion laughs) and external references are refused (`hostile_xml`)."""
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as error:
        raise NetworkError(f"refused: the XML declares a DTD or entities ({type(error).__name__})",
                           code="hostile_xml") from None
    except ParseError as error:
        raise NetworkError(f"not valid XML: {error}", code="bad_xml") from None
    if root.tag != "osm":
        raise NetworkError("not OpenStreetMap XML (the root element must be <osm>)", code="bad_xml")
    nodes: dict[str, tuple[float, float]] = {}
    for node in root.iter("node"):
        try:
            nodes[node.attrib["id"]] = (float(node.attrib["lon"]), float(node.attrib["lat"]))
        except (KeyError, ValueError):
            raise NetworkError(f"node {node.attrib.get('id')!r} needs numeric lon and lat",
                               code="bad_geometry") from None
    roads = []
    for row, way in enumerate(root.iter("way")):
        tags = {tag.attrib.get("k"): tag.attrib.get("v") for tag in way.iter("tag")}
        road_class = tags.get("highway") or ""
        default = default_speed(road_class)
        if default is None:
            continue  # not a road a vehicle drives on
        refs = [nd.attrib.get("ref") for nd in way.iter("nd")]
        missing = [ref for ref in refs if ref not in nodes]
        if missing:
            raise NetworkError(f"way {way.attrib.get('id')} refers to missing node {missing[0]}", row=row,
                               code="bad_geometry")
        implied = road_class == "motorway" or tags.get("junction") == "roundabout"
        oneway = _oneway(tags["oneway"], row) if "oneway" in tags else int(implied)
        speed = _parse_speed(tags["maxspeed"]) if "maxspeed" in tags else None
        roads.append(_road([nodes[ref] for ref in refs], speed=speed or default, oneway=oneway, closed=False,
                           road_class=road_class, name=tags.get("name") or tags.get("ref") or "", row=row))
    return roads


def network_from_roads(roads: list[dict], *, snap_tolerance_m: float = 1.0) -> RoadNetwork:
    """build_network over road rows as the readers return them (edge_line = index into roads)."""
    return build_network([r["line"] for r in roads], [r["speed_kmh"] for r in roads], [r["oneway"] for r in roads],
                         [r.get("closed", False) for r in roads], snap_tolerance_m=snap_tolerance_m)
