import numpy as np
import pytest
from shapely.geometry import Polygon, box

from kernels.targeting import inside_area, subscribers_in_areas


def test_points_inside_a_polygon_are_found_boundary_included():
    area = Polygon([(0, 0), (2, 0), (2, 2), (0, 2)])
    xs = np.array([1.0, 3.0, 2.0, -0.1, 0.5])
    ys = np.array([1.0, 1.0, 1.0, 0.5, 1.9])
    assert inside_area(xs, ys, area).tolist() == [0, 2, 4]


def test_a_concave_polygon_excludes_its_notch():
    area = box(0, 0, 4, 4).difference(box(1, 1, 3, 5))
    assert inside_area(np.array([2.0, 0.5]), np.array([2.0, 3.5]), area).tolist() == [1]


def test_agrees_with_shapely_one_by_one_on_random_points():
    from shapely.geometry import Point

    rng = np.random.default_rng(7)
    area = Point(103.4, 35.7).buffer(0.1)
    xs, ys = rng.uniform(103.2, 103.6, 5000), rng.uniform(35.5, 35.9, 5000)
    expected = [i for i in range(5000) if area.intersects(Point(xs[i], ys[i]))]
    assert inside_area(xs, ys, area).tolist() == expected


def test_empty_inputs_and_mismatched_shapes():
    assert inside_area(np.array([]), np.array([]), box(0, 0, 1, 1)).size == 0
    with pytest.raises(ValueError):
        inside_area(np.array([1.0]), np.array([1.0, 2.0]), box(0, 0, 1, 1))


def test_subscribers_by_chosen_areas():
    assert subscribers_in_areas(np.array([5, 6, 5, 7]), np.array([1, 1, 2, 3]), {5}).tolist() == [1, 2]
