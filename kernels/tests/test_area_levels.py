"""Area levels: assign_points against a brute-force reference, and the per-area aggregation."""
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.area_levels import area_levels, assign_points, levels_per_area
from kernels.partition import partition


def brute_force(xs, ys, polygons) -> np.ndarray:
    """The documented rule, written the slow obvious way: lowest-index polygon covering the point."""
    found = np.full(len(xs), -1)
    for k, polygon in enumerate(polygons):
        covers = shapely.intersects_xy(polygon, xs, ys)
        found[(found == -1) & covers] = k
    return found


def voronoi_grids(n=60, seed=3):
    county = shapely.Polygon([(0, 0), (10, 0), (12, 6), (6, 11), (-1, 7)])
    return county, partition(county, n, np.random.default_rng(seed))


def test_voronoi_grids_match_the_brute_force_reference_including_shared_edges_and_outside():
    county, grids = voronoi_grids()
    rng = np.random.default_rng(1)
    xs, ys = rng.uniform(-3, 14, 3000), rng.uniform(-3, 13, 3000)  # some outside the county
    vertices = shapely.get_coordinates(shapely.get_rings(np.array(grids)))  # exactly on edges and corners
    xs, ys = np.concatenate([xs, vertices[:, 0]]), np.concatenate([ys, vertices[:, 1]])
    got = assign_points(xs, ys, grids)
    assert np.array_equal(got, brute_force(xs, ys, grids))
    assert (got == -1).sum() > 100  # points outside every grid are -1
    on_edges = got[3000:]
    assert (on_edges >= 0).all()  # a vertex always belongs to some grid


def test_points_on_a_shared_edge_go_to_the_lower_index_polygon():
    left, right = shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)
    xs, ys = np.array([1.0, 1.0, 1.0, 0.5, 1.5, 2.0, 2.0001]), np.array([0.5, 0.0, 1.0, 0.5, 0.5, 0.5, 0.5])
    assert assign_points(xs, ys, [left, right]).tolist() == [0, 0, 0, 0, 1, 1, -1]
    assert assign_points(xs, ys, [right, left]).tolist() == [0, 0, 0, 1, 0, 0, -1]


def test_square_lattice_points_on_every_edge_and_corner():
    polygons = [shapely.box(i, j, i + 1, j + 1) for j in range(20) for i in range(20)]
    grid = np.arange(-1, 21.5, 0.5)  # integers lie on edges, halves in cell middles, -1 and 21 outside
    xs, ys = (a.ravel() for a in np.meshgrid(grid, grid))
    assert np.array_equal(assign_points(xs, ys, polygons), brute_force(xs, ys, polygons))


@pytest.mark.parametrize("cells", [1, 7, 1024, 4096, 10_000])
def test_lattice_lines_on_polygon_edges_change_nothing(cells):
    # 32 × 32 unit squares: with 1024 cells the lattice lines lie exactly on the squares' edges,
    # with 4096 also through their middles; points on all of them.
    polygons = [shapely.box(i, j, i + 1, j + 1) for j in range(32) for i in range(32)]
    grid = np.arange(0, 32.01, 0.25)
    xs, ys = (a.ravel() for a in np.meshgrid(grid, grid))
    assert np.array_equal(assign_points(xs, ys, polygons, cells=cells), brute_force(xs, ys, polygons))


def test_holes_multipolygons_and_overlaps():
    ring = shapely.box(0, 0, 10, 10).difference(shapely.box(3, 3, 7, 7))  # a grid with a hole
    islands = shapely.MultiPolygon([shapely.box(4, 4, 5, 5), shapely.box(20, 20, 21, 21)])
    overlapping = shapely.box(8, 8, 12, 12)  # overlaps ring: lower index (ring) wins on the overlap
    polygons = [ring, islands, overlapping]
    rng = np.random.default_rng(5)
    xs, ys = rng.uniform(-1, 22, 5000), rng.uniform(-1, 22, 5000)
    got = assign_points(xs, ys, polygons)
    assert np.array_equal(got, brute_force(xs, ys, polygons))
    assert assign_points(np.array([6.0, 4.5, 20.5, 9.0, 11.0]), np.array([6.0, 4.5, 20.5, 9.0, 11.0]),
                         polygons).tolist() == [-1, 1, 1, 0, 2]


def test_degenerate_inputs():
    square = shapely.box(0, 0, 1, 1)
    assert assign_points(np.array([]), np.array([]), [square]).tolist() == []
    assert assign_points(np.array([0.5]), np.array([0.5]), []).tolist() == [-1]
    assert assign_points(np.array([0.5]), np.array([0.5]), [shapely.Polygon()]).tolist() == [-1]
    assert assign_points(np.array([np.nan, 0.5]), np.array([0.5, np.inf]), [square]).tolist() == [-1, -1]
    assert assign_points(np.array([0.5]), np.array([0.5]), [shapely.Polygon(), square]).tolist() == [1]
    with pytest.raises(ValueError):
        assign_points(np.array([1.0, 2.0]), np.array([1.0]), [square])


def test_a_long_thin_extent_keeps_the_lattice_small():
    strips = [shapely.box(i, 0, i + 1, 1e-9) for i in range(1000)]
    xs = np.array([0.5, 999.5, 500.0, 3.5])
    ys = np.array([5e-10, 5e-10, 5e-10, 2e-9])
    assert assign_points(xs, ys, strips).tolist() == [0, 999, 499, -1]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 40), st.integers(0, 10_000), st.integers(1, 3000))
def test_any_partition_and_any_number_of_points_match_the_reference(n_cells, seed, n_points):
    _, grids = voronoi_grids(n_cells, seed)
    rng = np.random.default_rng(seed)
    xs, ys = rng.uniform(-2, 13, n_points), rng.uniform(-2, 12, n_points)
    assert np.array_equal(assign_points(xs, ys, grids), brute_force(xs, ys, grids))


def test_levels_per_area_worked_example():
    # area 0: levels 3, 4, 3 → highest 3, counts [0, 0, 2, 1]
    # area 1: nothing → 0
    # area 2: levels 1, 4 and a 0 (no risk point, ignored) → highest 1, counts [1, 0, 0, 1]
    # a point in no area (-1) with level 1 is ignored
    area = np.array([0, 0, 2, 2, 0, -1, 2])
    level = np.array([3, 4, 1, 4, 3, 1, 0])
    highest, counts = levels_per_area(area, level, 3)
    assert highest.tolist() == [3, 0, 1]
    assert counts.tolist() == [[0, 0, 2, 1], [0, 0, 0, 0], [1, 0, 0, 1]]


def test_levels_per_area_refuses_bad_input():
    with pytest.raises(ValueError):
        levels_per_area(np.array([0]), np.array([5]), 1)
    with pytest.raises(ValueError):
        levels_per_area(np.array([3]), np.array([1]), 2)
    with pytest.raises(ValueError):
        levels_per_area(np.array([0, 1]), np.array([1]), 2)
    highest, counts = levels_per_area(np.array([], dtype=int), np.array([], dtype=int), 2)
    assert highest.tolist() == [0, 0] and counts.shape == (2, 4)


@given(st.lists(st.tuples(st.integers(-1, 4), st.integers(0, 4)), max_size=200))
def test_levels_per_area_agrees_with_a_loop(pairs):
    area = np.array([a for a, _ in pairs], dtype=int)
    level = np.array([lv for _, lv in pairs], dtype=int)
    highest, counts = levels_per_area(area, level, 5)
    for k in range(5):
        mine = [lv for a, lv in pairs if a == k and lv]
        assert highest[k] == (min(mine) if mine else 0)
        assert counts[k].tolist() == [mine.count(lv) for lv in (1, 2, 3, 4)]


def test_area_levels_in_one_call():
    grids = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(2, 0, 3, 1)]
    xs = np.array([0.5, 0.2, 1.5, 5.0])
    ys = np.array([0.5, 0.3, 0.5, 0.5])
    highest, counts = area_levels(xs, ys, np.array([4, 2, 3, 1]), grids)
    assert highest.tolist() == [2, 3, 0]
    assert counts.tolist() == [[0, 1, 0, 1], [0, 0, 1, 0], [0, 0, 0, 0]]
