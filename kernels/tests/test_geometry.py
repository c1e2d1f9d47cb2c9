import numpy as np
import pytest
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

from kernels.geometry import GeometryProblem, parse_geometry
from kernels.partition import partition, random_points_inside

BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def test_self_intersecting_polygon_is_rejected_with_its_rule():
    with pytest.raises(GeometryProblem) as caught:
        parse_geometry(BOWTIE)
    assert caught.value.rule == "invalid"
    assert "Self-intersection" in caught.value.detail


@pytest.mark.parametrize("geojson, rule", [
    ({"type": "Point", "coordinates": [200, 10]}, "range"),
    ({"type": "Point", "coordinates": ["a"]}, "position"),
    ({"coordinates": [1, 2]}, "not_geojson"),
    ({"type": "GeometryCollection", "geometries": []}, "type"),
])
def test_malformed_geojson_names_the_rule(geojson, rule):
    with pytest.raises(GeometryProblem) as caught:
        parse_geometry(geojson)
    assert caught.value.rule == rule


def test_partition_covers_the_polygon_without_gaps_or_overlaps():
    outline = Polygon([(0, 0), (4, 0), (4, 3), (2, 5), (0, 3)])
    cells = partition(outline, 12, np.random.default_rng(1))
    assert len(cells) == 12
    assert unary_union(cells).symmetric_difference(outline).area < 1e-9
    assert sum(c.area for c in cells) == pytest.approx(outline.area, rel=1e-9)


def test_partition_is_deterministic_for_a_seed():
    outline = box(0, 0, 1, 1)
    a = partition(outline, 5, np.random.default_rng(3))
    b = partition(outline, 5, np.random.default_rng(3))
    assert [c.wkt for c in a] == [c.wkt for c in b]


def test_random_points_fall_inside():
    outline = Polygon([(0, 0), (1, 0), (0, 1)])
    pts = random_points_inside(outline, 500, np.random.default_rng(2))
    assert len(pts) == 500
    assert all(x + y <= 1 for x, y in pts)
