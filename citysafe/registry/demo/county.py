"""Deterministic demo-county generator, inside the real county outline.

Everything it makes is marked `is_synthetic` and the UI footer says so. Rows are written
in bulk (not through the per-record services) because a county's seed data is tens of
thousands of rows; the load itself is audited as one `demo_load` record.
"""
import json
import random
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from shapely.geometry import LineString, mapping, shape

from citysafe.accounts.models import Organisation, User
from citysafe.core.audit import record_change
from citysafe.core.roles import Role
from citysafe.registry.demo import catalogue as cat
from citysafe.registry.demo.names import Namer, short_township, village_names
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place
from kernels.codes import USCC_ALPHABET, id_check_digit, uscc_check_character
from kernels.partition import partition, random_points_inside


@dataclass
class DemoSize:
    townships: int = 24
    villages_per_township: int = 7
    grids_per_village: int = 6
    enterprises: int = 5000
    places: int = 20000

    @classmethod
    def small(cls):
        return cls(townships=4, villages_per_township=2, grids_per_village=2, enterprises=120, places=300)

    def scaled(self, factor: int):
        return DemoSize(self.townships, self.villages_per_township, self.grids_per_village,
                        self.enterprises * factor, self.places * factor)


def load_outline():
    with open(settings.COUNTY_OUTLINE_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    # The published outline has one self-intersecting vertex; buffer(0) repairs it
    # without changing its area.
    return shape(data["features"][0]["geometry"]).buffer(0)


def _bounds(geom):
    return dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"), geom.bounds, strict=True))


def _person_name(rng: random.Random) -> str:
    return rng.choice(cat.SURNAMES) + "".join(rng.choice(cat.GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def _id_number(rng: random.Random) -> str:
    first = f"{cat.COUNTY_CODE}{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first + id_check_digit(first)


def _uscc(index: int) -> str:
    body = "".join(USCC_ALPHABET[(index // 31 ** k) % 31] for k in range(8))[::-1]
    first17 = "91" + cat.COUNTY_CODE + "M" + body
    return first17 + uscc_check_character(first17)


def _scatter(n: int, grid_cells, nrng) -> tuple[np.ndarray, np.ndarray]:
    """Grid index and a point inside that grid for each of n rows, sampled per grid at once."""
    idx = nrng.integers(0, len(grid_cells), size=n)
    points = np.empty((n, 2))
    order = np.argsort(idx, kind="stable")
    counts = np.bincount(idx, minlength=len(grid_cells))
    start = 0
    for g, k in enumerate(counts):
        if k:
            points[order[start:start + k]] = random_points_inside(grid_cells[g][1], int(k), nrng)
            start += k
    return idx, points


@transaction.atomic
def build_county(size: DemoSize | None = None, seed: int = 622926, password: str = "Demo-2026!",  # noqa: S107 (the documented demo password)
                 verbose=print) -> dict:
    size = size or DemoSize()
    rng = random.Random(seed)  # noqa: S311 (deterministic synthetic data, not security)
    nrng = np.random.default_rng(seed)
    outline = load_outline()
    counts: dict[str, int] = {}

    county = Area.objects.create(code=cat.COUNTY_CODE, name=cat.COUNTY_NAME, level=Area.Level.COUNTY,
                                 geometry=mapping(outline), is_synthetic=False, **_bounds(outline))
    county.county = county
    county.save(update_fields=["county"])
    townships, villages, grids = [], [], []
    for t_index, t_geom in enumerate(partition(outline, size.townships, nrng)):
        township = Area.objects.create(
            code=cat.TOWNSHIPS[t_index][0], name=cat.TOWNSHIPS[t_index][1],
            level=Area.Level.TOWNSHIP, parent=county, county=county, geometry=mapping(t_geom), is_synthetic=True,
            population=rng.randint(8000, 40000), **_bounds(t_geom))
        township.township = township
        township.save(update_fields=["township"])
        townships.append((township, t_geom))
        names = village_names(rng, size.villages_per_township)
        for v_index, v_geom in enumerate(partition(t_geom, size.villages_per_township, nrng)):
            village = Area(code=f"{township.code}{200 + v_index:03d}", name=names[v_index],
                           level=Area.Level.VILLAGE, parent=township, township=township, county=county,
                           geometry=mapping(v_geom),
                           is_synthetic=True, population=rng.randint(800, 4000), **_bounds(v_geom))
            villages.append((village, v_geom))
    Area.objects.bulk_create([v for v, _ in villages], batch_size=500)
    for village, v_geom in villages:
        for g_index, g_geom in enumerate(partition(v_geom, size.grids_per_village, nrng)):
            grids.append((Area(code=f"{village.code}{g_index + 1:02d}", name=f"{village.name}第{g_index + 1}网格",
                               level=Area.Level.GRID, parent=village, township_id=village.township_id, county=county,
                               geometry=mapping(g_geom), is_synthetic=True, **_bounds(g_geom)), g_geom))
    Area.objects.bulk_create([g for g, _ in grids], batch_size=500)
    counts.update(townships=len(townships), villages=len(villages), grids=len(grids))

    departments = {}
    office = Organisation.objects.create(kind=Organisation.Kind.OFFICE, code="aw", name="县安全生产委员会办公室",
                                         area=county)
    for code, name in cat.DEPARTMENTS:
        departments[code] = Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, code=code, name=name,
                                                        area=county)
    industries = {}
    for code, name, dept in cat.INDUSTRIES:
        industries[code] = Industry.objects.create(code=code, name=name)
        departments[dept].industries.add(industries[code])
    township_orgs = {}
    for township, _ in townships:
        township_orgs[township.pk] = Organisation.objects.create(
            kind=Organisation.Kind.TOWNSHIP, code=f"xz{township.code}", name=f"{township.name}人民政府", area=township)

    # Accounts: one per role per area. One password hash shared by all demo accounts
    # (hashing thousands of times with Argon2 would take minutes).
    hashed = make_password(password)
    users = [
        User(username="admin", role=Role.ADMIN, organisation=office, last_name="安委办", first_name="管理员",
             is_staff=True, is_superuser=True, password=hashed),
        User(username="leader", role=Role.LEADER, organisation=office, last_name="县领导", password=hashed),
    ]
    for code, org in departments.items():
        users.append(User(username=f"dept_{code}", role=Role.DEPARTMENT, organisation=org, last_name=org.name,
                          password=hashed))
    for index, (township, _) in enumerate(townships):
        users.append(User(username=f"township_{index + 1:02d}", role=Role.TOWNSHIP,
                          organisation=township_orgs[township.pk], last_name=township.name, password=hashed))
    User.objects.bulk_create(users)
    grid_users = [User(username=f"grid_{g.code}", role=Role.GRID, organisation=township_orgs[g.township_id],
                       last_name=g.name, password=hashed) for g, _ in grids]
    User.objects.bulk_create(grid_users, batch_size=500)
    through = User.grids.through
    saved_grid_users = dict(User.objects.filter(role=Role.GRID).values_list("username", "id"))
    through.objects.bulk_create([through(user_id=saved_grid_users[f"grid_{g.code}"], area_id=g.pk) for g, _ in grids],
                                batch_size=1000)

    # Enterprises, placed inside random grids.
    grid_cells = [(g, geom) for g, geom in grids]
    weights = [k[1] for k in cat.ENTERPRISE_KINDS]
    enterprises = []
    ent_grid, ent_points = _scatter(size.enterprises, grid_cells, nrng)
    dept_of_industry = {code: departments[dept] for code, _, dept in cat.INDUSTRIES}
    township_names = {t.pk: t.name for t, _ in townships}
    village_names_by_pk = {v.pk: v.name for v, _ in villages}
    namer = Namer(rng)
    for index in range(size.enterprises):
        ind_code, _, templates = rng.choices(cat.ENTERPRISE_KINDS, weights)[0]
        grid, geom = grid_cells[ent_grid[index]]
        x, y = ent_points[index]
        enterprises.append(Enterprise(
            name=namer.make(templates, town=township_names[grid.township_id]),
            uscc=_uscc(index + 1), industry=industries[ind_code],
            scale=rng.choices(["large", "medium", "small", "micro"], [1, 4, 25, 70])[0],
            address=f"{township_names[grid.township_id]}{village_names_by_pk[grid.parent_id]}{rng.randint(1, 300)}号", lon=float(x), lat=float(y),
            township_id=grid.township_id, village_id=grid.parent_id, grid=grid,
            supervising_department=dept_of_industry[ind_code], legal_representative=_person_name(rng),
            standardisation_grade=rng.choices(["level1", "level2", "level3", "none"], [1, 5, 30, 64])[0],
            is_synthetic=True))
    Enterprise.objects.bulk_create(enterprises, batch_size=1000)
    counts["enterprises"] = len(enterprises)

    persons = []
    for ent in enterprises:
        persons.append(Person(name=_person_name(rng), phone=_phone(rng), id_number=_id_number(rng), title="安全管理负责人",
                              enterprise=ent, township_id=ent.township_id, grid_id=ent.grid_id, is_synthetic=True))
    for org in list(departments.values()) + list(township_orgs.values()):
        for title in ("主要负责人", "分管负责人"):
            persons.append(Person(name=_person_name(rng), phone=_phone(rng), title=title, organisation=org,
                                  township_id=org.area_id if org.kind == Organisation.Kind.TOWNSHIP else None,
                                  is_synthetic=True))
    unique_ids = set()
    for person in persons:
        while person.id_number and person.id_number in unique_ids:
            person.id_number = _id_number(rng)
        unique_ids.add(person.id_number)
    Person.objects.bulk_create(persons, batch_size=1000)
    counts["persons"] = len(persons)
    for ent, person in zip(enterprises, persons, strict=False):  # more persons than enterprises
        ent.safety_officer = person
    Enterprise.objects.bulk_update(enterprises, ["safety_officer"], batch_size=1000)
    for org in list(departments.values()) + list(township_orgs.values()):
        mine = [p for p in persons if p.organisation_id == org.pk]
        org.first_responsible, org.direct_responsible = mine[0], mine[1]
        org.save(update_fields=["first_responsible", "direct_responsible"])
    enterprise_users = [User(username=f"ent_{ent.uscc}", role=Role.ENTERPRISE, enterprise=ent, last_name=ent.name[:30],
                             password=hashed) for ent in enterprises]
    User.objects.bulk_create(enterprise_users, batch_size=1000)

    counts["places"] = _build_places(size.places, rng, nrng, grid_cells, industries, dept_of_industry, enterprises,
                                     township_names, village_names_by_pk)
    record_change(actor=None, action="demo_load", object_type="registry.Area", object_id=str(county.pk),
                  object_repr=county.name, after=counts, note="synthetic demo county")
    return counts


# Place types run by an enterprise of the place's own industry, in the place's township.
OWNED_TYPES = {"gas_station", "hazchem_site", "construction_site", "hotel", "nine_small", "gas_works"}


def _build_places(n, rng, nrng, grid_cells, industries, dept_of_industry, enterprises,  # noqa: PLR0913
                  township_names, village_names_by_pk) -> int:
    weights = [k[2] for k in cat.PLACE_KINDS]
    by_industry_township: dict[tuple[int, int], list[Enterprise]] = {}
    for ent in enterprises:
        by_industry_township.setdefault((ent.industry_id, ent.township_id), []).append(ent)
    namer = Namer(rng)
    batch = []
    place_grid, place_points = _scatter(n, grid_cells, nrng)
    for index in range(n):
        ptype, ind_code, _, kind, templates, capacity_range = rng.choices(cat.PLACE_KINDS, weights)[0]
        grid, geom = grid_cells[place_grid[index]]
        x, y = place_points[index]
        if kind == "point":
            g = {"type": "Point", "coordinates": [float(x), float(y)]}
        else:
            d = 0.0004 if kind == "polygon" else 0.004
            if kind == "line":
                line = LineString([(x, y), (x + rng.uniform(-d, d), y + rng.uniform(-d, d)),
                                   (x + rng.uniform(-d, d), y + rng.uniform(-d, d))])
                clipped = line.intersection(geom)
                line = clipped if clipped.geom_type == "LineString" and clipped.length > 0 else LineString(
                    [(x, y), (x + 1e-5, y + 1e-5)])
                g = mapping(line)
            else:
                cell = shape({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
                cell = cell.intersection(geom)
                g = mapping(cell if cell.geom_type == "Polygon" else cell.envelope)
        industry = industries[ind_code]
        owner = None
        candidates = by_industry_township.get((industry.pk, grid.township_id))
        if candidates and ptype in OWNED_TYPES:
            owner = rng.choice(candidates)
        capacity = rng.randint(*capacity_range) if capacity_range else None
        rep = shape(g).representative_point()
        batch.append(Place(
            name=namer.make(templates, town=short_township(township_names[grid.township_id]),
                            village=village_names_by_pk[grid.parent_id]),
            place_type=ptype, geometry=g, lon=rep.x, lat=rep.y,
            capacity=capacity, people_present=rng.randint(0, capacity * 4 // 5) if capacity else None,
            owner_enterprise=owner, industry=industry, township_id=grid.township_id, village_id=grid.parent_id,
            grid=grid, supervising_department=dept_of_industry[ind_code], is_synthetic=True))
        if len(batch) >= 2000:
            Place.objects.bulk_create(batch)
            batch = []
    Place.objects.bulk_create(batch)
    return n
