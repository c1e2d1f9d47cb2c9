"""Benchmark of registry import and export (prints figures; no asserts on time).

  .venv/bin/python bench/bench_io.py [--rows 100000] [--places 1000000] [--service-rows 1000]
                                     [--baseline-rows 100000] [--db /tmp/bench_io.sqlite3]

1. Seeds a fresh SQLite file database in /tmp: a demo county, then --places places written
   with bulk_create (seeding only; the platform's own writes go through services).
2. Export of all places as the admin sees them: Excel ledger (openpyxl write_only, the
   platform's path) and GeoJSON (generator); baseline: openpyxl normal mode on
   --baseline-rows rows (it keeps every cell in memory, so a million rows would not fit).
3. Import of an --rows enterprise workbook (generated with openpyxl write_only) through the
   bulk path; baseline: the per-row service path on --service-rows rows of the same kind.

Each measured phase runs in its own process; its peak memory is the resident-set high-water
mark (VmHWM, reset just before the phase) minus the resident set when the phase starts.
"""
import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: str):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Resident memory now; also resets the peak mark so `peak_mb` measures what follows."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass
    return _status_mb("VmRSS")


def peak_mb(base: float) -> float:
    return max(_status_mb("VmHWM") - base, 0.0)


# --- seeding --------------------------------------------------------------------------
def seed(db_path: str, places: int) -> dict:
    if os.path.exists(db_path):
        for suffix in ("", "-wal", "-shm"):
            Path(db_path + suffix).unlink(missing_ok=True)
    setup_django(db_path)
    import numpy as np
    from django.core.management import call_command
    from shapely.geometry import shape

    from citysafe.registry.demo.county import DemoSize, build_county
    from citysafe.registry.models import Area, Industry, Place
    from kernels.partition import random_points_inside

    call_command("migrate", verbosity=0)
    build_county(DemoSize(townships=8, villages_per_township=3, grids_per_village=4, enterprises=2000, places=0),
                 verbose=lambda *a: None)
    started = time.perf_counter()
    grids = list(Area.objects.filter(level="grid").values_list("id", "township_id", "parent_id", "geometry"))
    industries = list(Industry.objects.values_list("id", flat=True))
    rng = np.random.default_rng(7)
    per_grid = places // len(grids) + 1
    batch, made = [], 0
    kinds = ["school", "market", "hotel", "nine_small", "high_rise", "gas_station"]
    for grid_id, township_id, village_id, geometry in grids:
        points = random_points_inside(shape(geometry), per_grid, rng)
        for x, y in points:
            if made >= places:
                break
            x, y = float(x), float(y)
            batch.append(Place(name=f"场所{made + 1}", place_type=kinds[made % len(kinds)],
                               geometry={"type": "Point", "coordinates": [x, y]}, lon=x, lat=y,
                               capacity=100 + made % 900, people_present=made % 300,
                               industry_id=industries[made % len(industries)], township_id=township_id,
                               village_id=village_id, grid_id=grid_id, is_synthetic=True))
            made += 1
            if len(batch) >= 5000:
                Place.objects.bulk_create(batch)
                batch = []
    Place.objects.bulk_create(batch)
    return {"places": made, "seconds": round(time.perf_counter() - started, 1)}


# --- phases (each in its own process) ---------------------------------------------------
def phase_export_xlsx(db_path: str) -> dict:
    setup_django(db_path)
    from citysafe.accounts.models import User
    from citysafe.registry.io.export import write_ledger

    admin = User.objects.get(username="admin")
    base = rss_mb()
    target = "/tmp/bench_io_places.xlsx"
    started = time.perf_counter()
    rows = write_ledger(admin, "places", target)
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_mb(base), "file_mb": os.path.getsize(target) / 1e6}


def phase_export_xlsx_normal(db_path: str, limit: int) -> dict:
    """Baseline: the same rows into a normal (in-memory) openpyxl workbook."""
    setup_django(db_path)
    from openpyxl import Workbook

    from citysafe.accounts.models import User
    from citysafe.registry.io.codes import CodeBook
    from citysafe.registry.io.export import export_queryset
    from citysafe.registry.io.kinds import get_kind

    admin = User.objects.get(username="admin")
    kind, book = get_kind("places"), CodeBook(admin)
    base = rss_mb()
    started = time.perf_counter()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in kind.export_columns])
    rows = 0
    for record in export_queryset(admin, kind)[:limit].iterator(chunk_size=2000):
        sheet.append(kind.export_row(record, book))
        rows += 1
    workbook.save("/tmp/bench_io_places_normal.xlsx")
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_mb(base)}


def phase_export_geojson(db_path: str) -> dict:
    setup_django(db_path)
    from citysafe.accounts.models import User
    from citysafe.registry.io.export import write_geojson

    admin = User.objects.get(username="admin")
    base = rss_mb()
    started = time.perf_counter()
    with open("/tmp/bench_io_places.geojson", "w", encoding="utf-8") as handle:
        rows = write_geojson(admin, "places", handle)
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_mb(base)}


def enterprise_workbook(db_path: str, rows: int, offset: int) -> bytes:
    """`rows` enterprises inside the county's grids, half with grid codes, half located by point."""
    import numpy as np
    from openpyxl import Workbook
    from shapely.geometry import shape

    from citysafe.registry.io.kinds import get_kind
    from citysafe.registry.models import Area, Industry
    from kernels.codes import USCC_ALPHABET, uscc_check_character
    from kernels.partition import random_points_inside

    kind = get_kind("enterprises")
    headers = [c.header for c in kind.import_columns]
    grids = list(Area.objects.filter(level="grid").values_list("code", "geometry"))
    industries = list(Industry.objects.values_list("code", flat=True))
    rng = np.random.default_rng(offset + 1)
    points = {code: random_points_inside(shape(geometry), rows // len(grids) + 1, rng) for code, geometry in grids}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind.label)
    sheet.append(headers)
    for index in range(rows):
        code, _geometry = grids[index % len(grids)]
        x, y = points[code][index // len(grids)]
        n = offset + index + 1
        body = "".join(USCC_ALPHABET[(n // 31 ** k) % 31] for k in range(8))[::-1]
        first = "91622926B" + body
        values = {"统一社会信用代码": first + uscc_check_character(first), "企业名称": f"东乡县基准测试企业{n}",
                  "行业代码": industries[index % len(industries)], "规模": "小型", "地址": f"基准路{n}号",
                  "经度": float(x), "纬度": float(y), "所属网格代码": code if index % 2 else None,
                  "法定代表人": "张三", "安全生产标准化等级": "三级"}
        sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def phase_import(db_path: str, rows: int, bulk: bool, offset: int) -> dict:
    setup_django(db_path)
    from citysafe.accounts.models import User
    from citysafe.registry.io.excel_import import import_workbook

    admin = User.objects.get(username="admin")
    started = time.perf_counter()
    data = enterprise_workbook(db_path, rows, offset)
    generated = time.perf_counter() - started
    base = rss_mb()
    started = time.perf_counter()
    result = import_workbook(admin, "enterprises", data, bulk=bulk, filename="bench.xlsx")
    seconds = time.perf_counter() - started
    if not result.ok:
        return {"error": result.summary(), "first_errors": [str(e) for e in result.errors[:3]]}
    return {"rows": result.total, "created": result.created, "seconds": seconds, "peak_mb": peak_mb(base),
            "file_mb": len(data) / 1e6, "generate_seconds": generated}


def run_phase(args, *phase_args) -> dict:
    command = [sys.executable, __file__, "--db", args.db, "--phase", *map(str, phase_args)]
    output = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if output.returncode != 0:
        raise SystemExit(f"phase {phase_args} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def rate(figures: dict) -> float:
    return figures["rows"] / figures["seconds"] if figures.get("seconds") else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="enterprise workbook rows to import")
    parser.add_argument("--places", type=int, default=1_000_000, help="places to seed and export")
    parser.add_argument("--service-rows", type=int, default=1000, help="rows for the per-row service baseline")
    parser.add_argument("--baseline-rows", type=int, default=100_000, help="rows for the openpyxl normal-mode baseline")
    parser.add_argument("--db", default="/tmp/bench_io.sqlite3")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        name, *rest = args.phase
        handlers = {
            "export-xlsx": lambda: phase_export_xlsx(args.db),
            "export-xlsx-normal": lambda: phase_export_xlsx_normal(args.db, int(rest[0])),
            "export-geojson": lambda: phase_export_geojson(args.db),
            "import": lambda: phase_import(args.db, int(rest[0]), rest[1] == "bulk", int(rest[2])),
        }
        print(json.dumps(handlers[name]()))
        return

    print(f"CitySafe import/export benchmark — {os.cpu_count()} CPUs, SQLite file {args.db}")
    seeded = seed(args.db, args.places)
    print(f"seeded {seeded['places']:,} places in {seeded['seconds']} s (bulk_create, seeding only)")

    xlsx = run_phase(args, "export-xlsx")
    normal = run_phase(args, "export-xlsx-normal", min(args.baseline_rows, args.places))
    geo = run_phase(args, "export-geojson")
    print("\nExport of places (admin scope, ledger layout)")
    print(f"  xlsx write_only : {xlsx['rows']:>9,} rows {xlsx['seconds']:7.1f} s {rate(xlsx):9,.0f} rows/s "
          f"peak +{xlsx['peak_mb']:.0f} MB  file {xlsx['file_mb']:.0f} MB")
    print(f"  xlsx normal mode: {normal['rows']:>9,} rows {normal['seconds']:7.1f} s {rate(normal):9,.0f} rows/s "
          f"peak +{normal['peak_mb']:.0f} MB   (baseline)")
    print(f"  GeoJSON stream  : {geo['rows']:>9,} rows {geo['seconds']:7.1f} s {rate(geo):9,.0f} rows/s "
          f"peak +{geo['peak_mb']:.0f} MB")
    per_row_normal = normal["peak_mb"] / max(normal["rows"], 1)
    per_row_stream = xlsx["peak_mb"] / max(xlsx["rows"], 1)
    print(f"  memory per row: normal {per_row_normal * 1024:.2f} KB vs write_only {per_row_stream * 1024:.3f} KB "
          f"(ratio {per_row_normal / per_row_stream if per_row_stream > 0 else float('inf'):.0f}x); "
          f"speed ratio write_only/normal {rate(xlsx) / rate(normal):.2f}x")

    bulk = run_phase(args, "import", args.rows, "bulk", 0)
    service = run_phase(args, "import", args.service_rows, "service", 10_000_000)
    print("\nImport of an enterprise workbook (admin, all-or-nothing, audited)")
    for label, figures in (("bulk path", bulk), ("service path", service)):
        if "error" in figures:
            print(f"  {label}: FAILED {figures}")
            continue
        print(f"  {label:12}: {figures['rows']:>9,} rows {figures['seconds']:7.1f} s {rate(figures):9,.0f} rows/s "
              f"peak +{figures['peak_mb']:.0f} MB  (workbook {figures['file_mb']:.1f} MB)")
    if "error" not in bulk and "error" not in service:
        print(f"  ratio bulk/service: {rate(bulk) / rate(service):.0f}x; "
              f"service path for {args.rows:,} rows would take ~{args.rows / rate(service) / 60:.0f} min")


if __name__ == "__main__":
    main()
