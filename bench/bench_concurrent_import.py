"""Other townships' saves while a large import runs (prints figures; no asserts on time).

  DATABASE_URL=sqlite:////tmp/cs_concurrent.sqlite3 .venv/bin/python bench/bench_concurrent_import.py [--rows 100000]
  DATABASE_URL=postgres://citysafe:citysafe@127.0.0.1:5432/cs_bench .venv/bin/python bench/bench_concurrent_import.py

Builds a small demo county in the given (throw-away) database, then imports an --rows
enterprise workbook as one township's officer (the bulk path) in a background thread while
the main thread keeps saving another township's places and enterprises through the services
(update_place / update_enterprise). Prints p50/p95/max of those saves, how many failed, and
the import's rows/s; then the same with one bad row at the end (nothing may be stored).

The helpers here are also used by tests/security/test_concurrent_import.py.
"""
import argparse
import io
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def enterprise_workbook(township, rows: int, *, offset: int = 0, bad_row: int | None = None) -> bytes:
    """`rows` enterprises inside `township`'s grids (openpyxl write_only: ~2 s per 100,000 rows).
    `bad_row` (0-based) gets an unknown industry code."""
    import numpy as np
    from openpyxl import Workbook
    from shapely.geometry import shape

    from citysafe.registry.io.kinds import get_kind
    from citysafe.registry.models import Area, Industry
    from kernels.codes import USCC_ALPHABET, uscc_check_character
    from kernels.partition import random_points_inside

    kind = get_kind("enterprises")
    headers = [c.header for c in kind.import_columns]
    grids = list(Area.objects.filter(level="grid", township=township).values_list("code", "geometry"))
    industries = list(Industry.objects.values_list("code", flat=True))
    rng = np.random.default_rng(offset + 1)
    points = {code: random_points_inside(shape(geometry), rows // len(grids) + 1, rng) for code, geometry in grids}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind.label)
    sheet.append(headers)
    position = {h: i for i, h in enumerate(headers)}
    for index in range(rows):
        code, _geometry = grids[index % len(grids)]
        x, y = points[code][index // len(grids)]
        n = offset + index + 1
        body = "".join(USCC_ALPHABET[(n // 31 ** k) % 31] for k in range(8))[::-1]
        first = "91622926C" + body
        values = [None] * len(headers)
        for header, value in (("统一社会信用代码", first + uscc_check_character(first)),
                              ("企业名称", f"东乡县并发测试企业{n}"),
                              ("行业代码", "no-such-industry" if index == bad_row
                               else industries[index % len(industries)]),
                              ("规模", "小型"), ("经度", float(x)), ("纬度", float(y)), ("所属网格代码", code),
                              ("安全生产标准化等级", "三级")):
            values[position[header]] = value
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def import_alongside_saves(importer, data: bytes, saver, places: list[int], enterprises: list[int],
                           pause: float = 0.05) -> dict:
    """Run the import in a thread; meanwhile `saver` saves its places/enterprises in turn.
    Returns the import result, the saves' latencies (s) and the errors the saves raised."""
    from django.db import connection

    from citysafe.registry.io.excel_import import import_workbook
    from citysafe.registry.services import update_enterprise, update_place

    outcome: dict = {}

    def run_import():
        try:
            started = time.perf_counter()
            outcome["result"] = import_workbook(importer, "enterprises", data, filename="concurrent.xlsx")
            outcome["seconds"] = time.perf_counter() - started
        except BaseException as exc:  # reported by the caller
            outcome["exception"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run_import, name="import")
    latencies: list[float] = []
    failures: list[str] = []
    thread.start()
    turn = 0
    while thread.is_alive():
        turn += 1
        started = time.perf_counter()
        try:
            if turn % 2:
                update_place(saver, places[turn % len(places)], {"address": f"并发保存{turn}号"})
            else:
                update_enterprise(saver, enterprises[turn % len(enterprises)], {"address": f"并发保存{turn}号"})
        except Exception as exc:  # every failed save is the finding this measures
            failures.append(f"{exc.__class__.__name__}: {exc}")
        latencies.append(time.perf_counter() - started)
        time.sleep(pause)
    thread.join()
    if "exception" in outcome:
        raise outcome["exception"]
    return {"result": outcome["result"], "import_seconds": outcome["seconds"], "latencies": latencies,
            "failures": failures}


def describe(label: str, run: dict) -> str:
    from django.db import connection

    label = f"[{connection.vendor}] {label}"
    latencies = run["latencies"]
    result = run["result"]
    return (f"{label}: import {result.total:,} rows in {run['import_seconds']:.1f} s "
            f"({result.total / max(run['import_seconds'], 1e-9):,.0f} rows/s, ok={result.ok}); "
            f"other township's saves n={len(latencies)} p50={percentile(latencies, 50) * 1000:.0f} ms "
            f"p95={percentile(latencies, 95) * 1000:.0f} ms max={max(latencies or [0]) * 1000:.0f} ms "
            f"failed={len(run['failures'])}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = "sqlite:////tmp/cs_concurrent_import.sqlite3"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    from citysafe.accounts.models import Role, User
    from citysafe.registry.demo.county import DemoSize, build_county
    from citysafe.registry.models import Area, Enterprise, Place

    call_command("flush", interactive=False, verbosity=0) if not url.startswith("sqlite") else None
    call_command("migrate", verbosity=0)
    build_county(DemoSize.small(), verbose=lambda *a: None)
    township_a, township_b = Area.objects.filter(level="township").order_by("code")[:2]
    importer = User.objects.get(role=Role.TOWNSHIP, organisation__area=township_a)
    saver = User.objects.get(role=Role.TOWNSHIP, organisation__area=township_b)
    places = list(Place.objects.filter(township=township_b).values_list("id", flat=True)[:20])
    enterprises = list(Enterprise.objects.filter(township=township_b).values_list("id", flat=True)[:20])
    print(f"database: {url.split('@')[-1]}; rows: {args.rows:,}")
    started = time.perf_counter()
    data = enterprise_workbook(township_a, args.rows)
    print(f"workbook: {len(data) / 1e6:.1f} MB generated in {time.perf_counter() - started:.1f} s")
    before = Enterprise.objects.count()
    bad = import_alongside_saves(importer, enterprise_workbook(township_a, args.rows, offset=args.rows,
                                                               bad_row=args.rows - 1), saver, places, enterprises)
    print(describe("one bad row ", bad), f"stored={Enterprise.objects.count() - before}")
    good = import_alongside_saves(importer, data, saver, places, enterprises)
    print(describe("all good    ", good), f"stored={Enterprise.objects.count() - before}")
    for failure in (bad["failures"] + good["failures"])[:3]:
        print("  failed save:", failure)
    import resource

    print(f"peak memory of this process (county, workbooks, both imports): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
