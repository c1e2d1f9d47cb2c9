from shapely.geometry import shape
from shapely.ops import unary_union

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
