"""Benchmark: the registry map's places layer, whole (as before issue 19) against the view-aware
layer (bbox + zoom: clusters counted by the database when zoomed out, rows when zoomed in),
side by side in the same process on the same database.

Two data sets, each seeded once into its own database (bench/seed.py, executemany):
- county: the demo county with 20,000 places (the demo size);
- province: 1,000,000 places, the county's synthetic places spread over Gansu's bounding box
  (92.1–108.8° E, 32.6–42.8° N) by an affine map, so a province view holds a million rows.
For each: the whole layer (bytes, gzip bytes, time) and the views a 1440 × 800 px map shows —
the whole county/province zoomed out, and one zoomed-in street view — with the ratio.
Figures are printed, never asserted; the load average is printed with them (shared machine).

Zoomed-out views are the database's GROUP BY over every row in the box. `--index-baseline`
measures that view twice in the same process: with the schema as migrated (the covering index
place_active_lonlat_cover: lon, lat, place_type, township_id on the live rows — the cluster query
reads the index only) and, inside a transaction rolled back afterwards, with the index it replaced
(lon, lat). `--explain` prints the query plan of the zoomed-out view.

    DATABASE_URL=sqlite:////tmp/citysafe_bench_map.sqlite3 .venv/bin/python bench/bench_map_layers.py
    DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/cs_maps_bench .venv/bin/python bench/bench_map_layers.py
    (--places 1000000 --province for the province data set, in a database of its own)
"""
import argparse
import math
import os
import statistics
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/citysafe_bench_map.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("CITYSAFE_SYNTHETIC_DATA", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Avg, Count, Max, Min  # noqa: E402
from seed import seed  # noqa: E402

from citysafe.accounts.models import User  # noqa: E402
from citysafe.core.roles import Role  # noqa: E402
from citysafe.registry.map.selectors import point_layer_chunks  # noqa: E402
from citysafe.registry.models import Place  # noqa: E402
from kernels.map_grid import Viewport  # noqa: E402

GANSU = (92.1, 32.6, 108.8, 42.8)
WIDTH, HEIGHT = 1440, 800  # the map's pixels on a desktop screen


def spread_over_province() -> None:
    """Map the county's places affinely onto Gansu's bounding box (once: marked by the extent)."""
    box = Place.objects.aggregate(x0=Min("lon"), y0=Min("lat"), x1=Max("lon"), y1=Max("lat"))
    if box["x1"] - box["x0"] > 5:
        return
    west, south, east, north = GANSU
    table = Place._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET lon = %s + (lon - %s) * %s, lat = %s + (lat - %s) * %s",
                       [west, box["x0"], (east - west) / (box["x1"] - box["x0"]),
                        south, box["y0"], (north - south) / (box["y1"] - box["y0"])])
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")


def view_around(lon: float, lat: float, zoom: int) -> Viewport:
    """The bounding box Leaflet reports for a WIDTH × HEIGHT map centred at (lon, lat)."""
    scale = 256 * 2 ** zoom
    x = (lon + 180) / 360 * scale
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * scale

    def lonlat(px, py):
        return px / scale * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / scale))))

    west, south = lonlat(x - WIDTH / 2, y + HEIGHT / 2)
    east, north = lonlat(x + WIDTH / 2, y - HEIGHT / 2)
    return Viewport(round(west, 5), round(south, 5), round(east, 5), round(north, 5), zoom)


def measure(user, viewport, repeat: int) -> tuple[float, int, int, str]:
    """Median seconds to build and serialise the whole response; bytes; gzip bytes; its mode."""
    times, size, packed, mode = [], 0, 0, ""
    for _ in range(repeat):
        started = time.perf_counter()
        size, packer, packed_parts, head = 0, zlib.compressobj(6, zlib.DEFLATED, 31), 0, ""
        for chunk in point_layer_chunks(user, "places", {}, viewport):
            raw = chunk.encode()
            head = head or chunk[:200]
            size += len(raw)
            packed_parts += len(packer.compress(raw))
        packed_parts += len(packer.flush())
        times.append(time.perf_counter() - started)
        packed = packed_parts
        mode = "clusters" if '"mode":"clusters"' in head else "features"
    return statistics.median(times), size, packed, mode


COVER = "place_active_lonlat_cover"


def cluster_query(user, viewport):
    """The zoomed-out view's per-cell count, as the layer runs it (SQL text, parameters)."""
    from citysafe.registry.map import viewport as views_of
    from citysafe.registry.selectors import list_records

    queryset = views_of.within(list_records(user, "places", filters={}), viewport).order_by()
    rows = (queryset.annotate(_cx=views_of._CellIndex("lon", 180.0, viewport.cell),
                              _cy=views_of._CellIndex("lat", 90.0, viewport.cell))
            .values("_cx", "_cy", "place_type").annotate(_n=Count("*"), _lon=Avg("lon"), _lat=Avg("lat")))
    return rows.query.sql_with_params()


def explain(user, viewport) -> None:
    sql, params = cluster_query(user, viewport)
    with connection.cursor() as cursor:
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        cursor.execute(prefix + sql, params)
        for row in cursor.fetchall():
            print("   ", " ".join(str(v) for v in row))


class _Rollback(Exception):
    pass


def with_previous_index(user, viewport, repeat: int) -> tuple[float, int, int, str]:
    """The view measured with the index the covering one replaced, then the schema put back."""
    table = Place._meta.db_table
    result = None
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX {COVER}")
                cursor.execute(f"CREATE INDEX place_active_lonlat ON {table} (lon, lat) WHERE archived_at IS NULL")
                if connection.vendor == "postgresql":
                    cursor.execute(f"ANALYZE {table}")
            result = measure(user, viewport, repeat)
            raise _Rollback
    except _Rollback:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=20_000)
    parser.add_argument("--province", action="store_true", help="spread the places over Gansu")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--index-baseline", action="store_true",
                        help="the zoomed-out view also with the previous (lon, lat) index, same run")
    parser.add_argument("--explain", action="store_true", help="print the zoomed-out view's query plan")
    parser.add_argument("--analyze", action="store_true", help="SQLite: ANALYZE the places table first")
    parser.add_argument("--skip-whole", action="store_true", help="leave out the whole layer (minutes at 1,000,000)")
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed(enterprises=0, places=args.places)
    if args.province:
        spread_over_province()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does on a live database: statistics and the visibility map (an
            # index-only scan skips the table only for pages marked all-visible).
            cursor.execute(f"VACUUM ANALYZE {Place._meta.db_table}")
        elif args.analyze:
            # What `PRAGMA optimize` does on a live SQLite database. Without statistics SQLite takes
            # `archived_at IS NULL` for a selective condition and walks the archived_at index
            # (every live row, then the table) instead of the lon range of the covering index.
            cursor.execute(f"ANALYZE {Place._meta.db_table}")
    admin = User.objects.filter(role=Role.ADMIN).order_by("id").first()
    box = Place.objects.aggregate(x0=Min("lon"), y0=Min("lat"), x1=Max("lon"), y1=Max("lat"))
    cx, cy = (box["x0"] + box["x1"]) / 2, (box["y0"] + box["y1"]) / 2
    seat = Place.objects.order_by("id").values_list("lon", "lat").first()
    zoomed_out = 6 if args.province else 10
    views = [("whole layer (before)", None, 1 if Place.objects.count() > 100_000 else args.repeat),
             (f"{'province' if args.province else 'county'} view z{zoomed_out}", view_around(cx, cy, zoomed_out),
              args.repeat),
             ("street view z16", view_around(seat[0], seat[1], 16), args.repeat)]
    print(f"database {connection.vendor}; places {Place.objects.count():,} "
          f"({'spread over Gansu' if args.province else 'one county'}); ready in {time.perf_counter() - started:.0f} s; "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if args.skip_whole:
        views = views[1:]
    print(f"{'response':<26}{'mode':<10}{'time ms':>10}{'bytes':>14}{'gzip':>12}")
    base = None
    for label, viewport, repeat in views:
        seconds, size, packed, mode = measure(admin, viewport, repeat)
        if viewport is None:
            base = (seconds, size, packed)
        ratio = "" if viewport is None or base is None else (f"   × {base[0] / seconds:,.0f} faster, × {base[1] / size:,.0f} fewer bytes,"
                                             f" × {base[2] / packed:,.0f} fewer gzip bytes")
        print(f"{label:<26}{mode:<10}{seconds * 1000:>10.1f}{size:>14,}{packed:>12,}{ratio}")
    zoomed = views[-2]
    if args.explain:
        print(f"plan of the {zoomed[0]}:")
        explain(admin, zoomed[1])
    if args.index_baseline:
        now = measure(admin, zoomed[1], zoomed[2])
        before = with_previous_index(admin, zoomed[1], zoomed[2])
        again = measure(admin, zoomed[1], zoomed[2])
        print(f"{zoomed[0]}, same run: previous index (lon, lat) {before[0] * 1000:,.1f} ms; covering index "
              f"{now[0] * 1000:,.1f} / {again[0] * 1000:,.1f} ms (before / after the baseline) → "
              f"× {before[0] / min(now[0], again[0]):,.1f} faster")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
