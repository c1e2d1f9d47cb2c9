"""The road network routing runs on, built from the RoadSegment rows and cached per version.

Every change of the segments (import, closing, reopening) bumps `NetworkVersion.number` in the
same transaction (services/roads.py). A process keeps the RoadNetwork it built last, keyed on
that number, and rebuilds when the database says a newer one exists — one indexed read a
request. This cache is the app's only process-local state; it holds nothing another process
could need (every process derives the same network from the same rows).

Several counties (issue 19): the network is the whole deployment's, every county's segments,
on purpose — roads cross county lines and a route may leave the county. Only what is shown is
scoped to the user's counties (map_layers.shown_roads: the road layer and the roads page)."""
import threading
import uuid
from dataclasses import dataclass

import shapely

from citysafe.emergency.models import NetworkVersion, RoadSegment
from kernels.road_network import RoadNetwork, build_network


@dataclass(frozen=True)
class LoadedNetwork:
    version: tuple
    network: RoadNetwork | None      # None: no roads yet
    segment_ids: list[int]           # input line index → RoadSegment id


_cache: dict[str, LoadedNetwork] = {}
_lock = threading.Lock()


def current_version() -> tuple:
    return NetworkVersion.objects.filter(pk=1).values_list("number", "stamp").first() or (0, "")


def bump_version() -> int:
    """Call inside the transaction that changes road segments."""
    row, _created = NetworkVersion.objects.select_for_update().get_or_create(pk=1)
    row.number += 1
    row.stamp = uuid.uuid4().hex
    row.save(update_fields=["number", "stamp"])
    return row.number


def build_from_rows(rows) -> tuple[RoadNetwork | None, list[int]]:
    rows = list(rows)
    if not rows:
        return None, []
    lines = [shapely.geometry.shape(r["geometry"]) for r in rows]
    network = build_network(lines, [r["speed_kmh"] for r in rows], [r["oneway"] for r in rows],
                            [r["closed"] for r in rows])
    return network, [r["id"] for r in rows]


def load_network() -> LoadedNetwork:
    version = current_version()
    cached = _cache.get("network")
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = _cache.get("network")
        if cached is not None and cached.version == version:
            return cached
        rows = RoadSegment.objects.order_by("id").values("id", "geometry", "speed_kmh", "oneway", "closed")
        network, ids = build_from_rows(rows)
        loaded = LoadedNetwork(version, network, ids)
        _cache["network"] = loaded
        return loaded
