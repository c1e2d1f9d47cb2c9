"""Seed a benchmark database: the demo county's areas, organisations and accounts, then
N enterprises and M places written with executemany (the ORM's bulk_create would spend
most of its time building SQL; this is seeding, not the code under test)."""
import json
import random
import time

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from shapely.geometry import shape

from citysafe.accounts.models import Organisation
from citysafe.registry.demo import catalogue as cat
from citysafe.registry.demo.county import DemoSize, _scatter, _uscc, build_county
from citysafe.registry.models import Area, Enterprise, Industry, Place

BATCH = 20_000


def seed(enterprises: int, places: int, seed_value: int = 7) -> None:
    started = time.perf_counter()
    if not Area.objects.exists():
        build_county(DemoSize(enterprises=0, places=0), seed=seed_value, verbose=None)
    rng = random.Random(seed_value)
    nrng = np.random.default_rng(seed_value)
    grids = list(Area.objects.filter(level="grid").order_by("id").values_list("id", "township_id", "parent_id", "geometry"))
    cells = [(g, shape(g[3])) for g in grids]
    industries = dict(Industry.objects.values_list("code", "id"))
    dept_of = {}
    for code, _, dept in cat.INDUSTRIES:
        dept_of[code] = Organisation.objects.get(code=dept).pk
    now = timezone.now()
    have = Enterprise.objects.count()
    _insert_enterprises(enterprises - have, have, cells, industries, dept_of, rng, nrng, now)
    have_places = Place.objects.count()
    _insert_places(places - have_places, cells, industries, dept_of, rng, nrng, now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a live database
    print(f"seeded {Enterprise.objects.count():,} enterprises, {Place.objects.count():,} places "
          f"in {time.perf_counter() - started:.0f} s")


def _columns(model, names):
    table = model._meta.db_table
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {table} ({cols}) VALUES ({marks})"


def _insert_enterprises(n, offset, cells, industries, dept_of, rng, nrng, now):
    if n <= 0:
        return
    names = ["name", "uscc", "industry", "scale", "address", "lon", "lat", "township", "village", "grid",
             "supervising_department", "legal_representative", "standardisation_grade", "operating_status",
             "version", "is_synthetic", "created_at", "updated_at"]
    sql = _columns(Enterprise, names)
    grid_idx, points = _scatter(n, cells, nrng)
    kinds = [k[0] for k in cat.ENTERPRISE_KINDS]
    rows = []
    for i in range(n):
        (gid, township, village, _), _geom = cells[grid_idx[i]]
        code = rng.choice(kinds)
        rows.append((f"基准企业{offset + i + 1}", _uscc(offset + i + 1), industries[code], "small", "", float(points[i][0]),
                     float(points[i][1]), township, village, gid, dept_of[code], "", "none", "operating", 1, True, now, now))
        if len(rows) == BATCH:
            _flush(sql, rows)
    _flush(sql, rows)


def _insert_places(n, cells, industries, dept_of, rng, nrng, now):
    if n <= 0:
        return
    names = ["name", "place_type", "geometry", "lon", "lat", "address", "capacity", "people_present", "industry",
             "township", "village", "grid", "supervising_department", "version", "is_synthetic", "created_at",
             "updated_at"]
    sql = _columns(Place, names)
    grid_idx, points = _scatter(n, cells, nrng)
    kinds = [(k[0], k[1]) for k in cat.PLACE_KINDS]
    rows = []
    for i in range(n):
        (gid, township, village, _), _geom = cells[grid_idx[i]]
        ptype, code = kinds[i % len(kinds)]
        x, y = float(points[i][0]), float(points[i][1])
        rows.append((f"基准场所{i + 1}", ptype, json.dumps({"type": "Point", "coordinates": [x, y]}), x, y, "", 100, 10,
                     industries[code], township, village, gid, dept_of[code], 1, True, now, now))
        if len(rows) == BATCH:
            _flush(sql, rows)
    _flush(sql, rows)


def _flush(sql, rows):
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        rows.clear()
