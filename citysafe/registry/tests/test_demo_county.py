import re

from shapely.geometry import shape
from shapely.ops import unary_union

from citysafe.registry.demo import catalogue as cat
from citysafe.registry.demo.county import load_outline
from citysafe.registry.models import Area, Enterprise, Place


def test_grids_partition_the_real_county_outline_without_gaps_or_overlaps(world):
    outline = load_outline()
    grids = [shape(g) for g in Area.objects.filter(level="grid").values_list("geometry", flat=True)]
    union = unary_union(grids)
    assert union.symmetric_difference(outline).area < 1e-9 * outline.area + 1e-12
    assert abs(sum(g.area for g in grids) - outline.area) < 1e-9


def test_every_grid_lies_in_its_township_and_every_record_in_its_grid(world):
    for grid in Area.objects.filter(level="grid").select_related("township"):
        assert shape(grid.township.geometry).buffer(1e-9).covers(shape(grid.geometry))
    for model in (Enterprise, Place):
        for obj in model.objects.select_related("grid")[:100]:
            assert shape(obj.grid.geometry).buffer(1e-9).covers(shape({"type": "Point", "coordinates": [obj.lon, obj.lat]}))
            assert obj.township_id == obj.grid.township_id


def test_demo_data_is_marked_synthetic_and_townships_carry_real_names(world):
    assert not Enterprise.objects.filter(is_synthetic=False).exists()
    names = set(Area.objects.filter(level="township").values_list("name", flat=True))
    assert names <= {"锁南镇", "达板镇", "河滩镇", "那勒寺镇"}


def test_townships_carry_the_real_nbs_codes_in_code_order(world):
    import csv

    from django.conf import settings

    with open(settings.SHARED_DIR / "data/admin-codes/dongxiang-townships-2022.csv", encoding="utf-8") as f:
        real = {row["code"]: row["name"] for row in csv.DictReader(f)}
    townships = list(Area.objects.filter(level="township").order_by("code").values_list("code", "name"))
    assert townships[:2] == [("622926100", "锁南镇"), ("622926101", "达板镇")]
    for code, name in townships:
        assert real[code] == name


def test_villages_read_as_communities_and_villages_not_numbers(world):
    for name in Area.objects.filter(level="village").values_list("name", flat=True):
        assert name.endswith(("社区", "村")) and not re.search(r"\d", name), name


def test_place_names_have_no_trailing_digits_and_are_unique(world):
    names = list(Place.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    assert not [n for n in names if re.search(r"\d$", n) or "九小场所" in n]


def test_place_capacities_fit_their_type_and_people_present_stay_below(world):
    ranges = {ptype: rng for ptype, _, _, _, _, rng in cat.PLACE_KINDS}
    for place in Place.objects.all():
        limits = ranges[place.place_type]
        if limits is None:
            assert place.capacity is None
            continue
        assert limits[0] <= place.capacity <= limits[1], (place.name, place.capacity)
        assert 0 <= place.people_present <= place.capacity
    assert ranges["elevator"] == (8, 21)


def test_places_are_owned_by_an_enterprise_of_their_township_and_industry(world):
    owned = Place.objects.exclude(owner_enterprise=None).select_related("owner_enterprise")
    assert owned.exists()
    for place in owned:
        assert place.owner_enterprise.township_id == place.township_id
        assert place.owner_enterprise.industry_id == place.industry_id


def test_enterprise_names_fit_their_industry(world):
    endings = {"gas_station": "加油站", "catering": "馆厅", "hotel": "馆司"}
    for ent in Enterprise.objects.select_related("industry").filter(industry__code__in=endings):
        assert ent.name[-1] in endings[ent.industry.code] or ent.name.endswith("加油站"), ent.name
        assert not re.search(r"\d", ent.name)
