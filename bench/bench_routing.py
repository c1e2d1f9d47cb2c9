"""Benchmark of the routing kernels against networkx on the same 100,000-node road network (issue 13).

  .venv/bin/python bench/bench_routing.py [--side 317] [--repeat 3] [--seed 13]

Network: a perturbed lattice of side × side nodes (317² = 100,489) about 150 m apart near the
county (103.4° E, 35.6° N), every node moved up to ±40 m, 3 % of the links missing; every 10th
row/column a primary road (50 km/h), every 5th secondary (40), the rest tertiary (30) or
residential (20); 10 % of the residential links one-way (random direction). Built through
kernels.routing.build_network from LineStrings (geodesic lengths), not timed.

networkx gets the very same directed graph (the CSR matrix's arcs with their seconds, one-way
roads one arc, two-way roads two) as an nx.DiGraph, in the same process:

- single-source travel times: routing.travel_times vs nx.single_source_dijkstra_path_length;
- 5-minute coverage from 30 fire stations: coverage.covered_nodes (one multi-source search
  bounded at 300 s) vs nx.multi_source_dijkstra_path_length(cutoff=300);
- a 100×100 travel-time matrix: routing.matrix vs 100 single-source searches;
- nearest-resource queries: routing.nearest(k=5 of 200 resources, reverse=True: teams driving to
  the incident) vs single_source_dijkstra_path_length on G.reverse(copy=False) + sort, both with
  the same widening search bounds (10 min, 40 min, 160 min, then unbounded).

Each result is compared with networkx's (equal within 1e-9 relative, same inf); times are the
best and median of --repeat. Needs the `bench` extra (networkx); the app never imports it.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kernels.coverage import covered_nodes  # noqa: E402
from kernels.routing import NEAREST_SEARCH_BOUNDS_S, build_network, matrix, nearest, travel_times  # noqa: E402

LON0, LAT0, SPACING_M = 103.4, 35.6, 150.0


def lattice_network(side: int, seed: int):
    rng = np.random.default_rng(seed)
    dlat = SPACING_M / 111_000
    dlon = dlat / np.cos(np.radians(LAT0))
    i, j = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    lon = LON0 + j * dlon + rng.uniform(-0.27, 0.27, i.shape) * dlon
    lat = LAT0 + i * dlat + rng.uniform(-0.27, 0.27, i.shape) * dlat
    ids = np.arange(side * side).reshape(side, side)
    a = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])  # east links, north links
    b = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    keep = rng.random(len(a)) > 0.03
    a, b = a[keep], b[keep]
    # The road's class from its row (east links) or column (north links).
    horizontal = np.concatenate([np.ones(side * (side - 1), bool), np.zeros(side * (side - 1), bool)])[keep]
    line_index = np.where(horizontal, a // side, a % side)
    speed = np.where(line_index % 10 == 0, 50.0, np.where(line_index % 5 == 0, 40.0,
                     np.where(rng.random(len(a)) < 0.5, 30.0, 20.0)))
    oneway = (speed == 20.0) & (rng.random(len(a)) < 0.10)
    flip = oneway & (rng.random(len(a)) < 0.5)
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    coords = np.stack([np.column_stack([lon.ravel()[a], lat.ravel()[a]]),
                       np.column_stack([lon.ravel()[b], lat.ravel()[b]])], axis=1)
    lines = shapely.linestrings(coords)
    return build_network(list(lines), speed, oneway)


def to_networkx(network):
    import networkx as nx

    graph = network.graph.tocoo()
    g = nx.DiGraph()
    g.add_nodes_from(range(network.n_nodes))
    g.add_weighted_edges_from(zip(graph.row.tolist(), graph.col.tolist(), graph.data.tolist(), strict=True))
    return g


def timed(function, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def as_array(lengths: dict, n: int) -> np.ndarray:
    out = np.full(n, np.inf)
    out[list(lengths)] = list(lengths.values())
    return out


def same(ours: np.ndarray, theirs: np.ndarray) -> bool:
    finite = np.isfinite(ours)
    return bool((finite == np.isfinite(theirs)).all() and np.allclose(ours[finite], theirs[finite], rtol=1e-9))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", type=int, default=317)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    import networkx as nx

    start = time.perf_counter()
    net = lattice_network(args.side, args.seed)
    built = time.perf_counter() - start
    net.graph, net.reverse_graph  # noqa: B018 - build the cached CSR matrices outside the timings
    g = to_networkx(net)
    g_reverse = g.reverse(copy=False)
    n = net.n_nodes
    print(f"network: {n:,} nodes, {net.n_edges:,} edges, {net.graph.nnz:,} arcs, "
          f"{int(net.edge_oneway.sum()):,} one-way; built in {built:.1f} s (not timed below)")
    rng = np.random.default_rng(args.seed + 1)
    rows = []

    def compare(name, ours, theirs, check, unit="ms", per=1):
        ob, om, ores = ours
        tb, tm, tres = theirs
        ok = check(ores, tres)
        if unit == "q/s":
            rows.append((name, f"{per / ob:,.0f} / {per / om:,.0f} q/s", f"{per / tb:,.1f} / {per / tm:,.1f} q/s",
                         tb / ob, ok))
        else:
            rows.append((name, f"{ob * 1e3:,.1f} / {om * 1e3:,.1f} ms", f"{tb * 1e3:,.0f} / {tm * 1e3:,.0f} ms",
                         tb / ob, ok))
        print(f"  {name}: ours {rows[-1][1]}, networkx {rows[-1][2]}, ratio {tb / ob:.1f}x, equal: {ok}", flush=True)

    source = int(rng.integers(n))
    compare("single-source travel times",
            timed(lambda: travel_times(net, [source])[0], args.repeat),
            timed(lambda: as_array(nx.single_source_dijkstra_path_length(g, source), n), args.repeat), same)

    stations = rng.choice(n, 30, replace=False)
    compare("5-minute coverage, 30 stations",
            timed(lambda: covered_nodes(net, stations, 300.0), args.repeat),
            timed(lambda: nx.multi_source_dijkstra_path_length(g, set(stations.tolist()), cutoff=300.0), args.repeat),
            lambda ours, theirs: bool((np.flatnonzero(ours) == np.array(sorted(theirs))).all()))
    covered = covered_nodes(net, stations, 300.0)
    print(f"    covered {covered.sum():,} nodes ({covered.mean():.1%})")

    origins, destinations = rng.choice(n, 100, replace=False), rng.choice(n, 100, replace=False)

    def nx_matrix():
        return np.array([as_array(nx.single_source_dijkstra_path_length(g, int(o)), n)[destinations]
                         for o in origins])

    compare("100×100 travel-time matrix", timed(lambda: matrix(net, origins, destinations), args.repeat),
            timed(nx_matrix, 1), lambda a, b: same(a.ravel(), b.ravel()))

    resources = rng.choice(n, 200, replace=False)
    incidents = rng.choice(n, 30, replace=False)

    def ours_nearest():
        return [nearest(net, int(i), resources, 5, reverse=True) for i in incidents]

    def nx_nearest():
        found = []
        for incident in incidents:
            for bound in (*NEAREST_SEARCH_BOUNDS_S, None):  # the same widening bounded searches as ours
                found_times = nx.single_source_dijkstra_path_length(g_reverse, int(incident), cutoff=bound)
                times = as_array(found_times, n)[resources]
                if np.isfinite(times).sum() >= 5:
                    break
            order = np.lexsort((np.arange(len(resources)), times))[:5]
            found.append([(int(k), float(times[k])) for k in order if np.isfinite(times[k])])
        return found

    def same_nearest(ours, theirs):
        return all([k for k, _ in a] == [k for k, _ in b] and np.allclose([t for _, t in a], [t for _, t in b])
                   for a, b in zip(ours, theirs, strict=True))

    compare("nearest 5 of 200 teams (reverse)", timed(ours_nearest, args.repeat), timed(nx_nearest, 1),
            same_nearest, unit="q/s", per=len(incidents))

    print("\n| case | kernels.routing best / median | networkx best / median | ratio (best) | equal |")
    print("|---|---|---|---|---|")
    for name, ours, theirs, ratio, ok in rows:
        print(f"| {name} | {ours} | {theirs} | {ratio:.1f}× | {'yes' if ok else 'NO'} |")


if __name__ == "__main__":
    main()
