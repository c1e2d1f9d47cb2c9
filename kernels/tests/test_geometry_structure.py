"""GeoJSON structure rules (RFC 7946, to the letter) checked before shapely reads a geometry."""
import pytest

from kernels.geometry import DEFAULT_MAX_VERTICES, GeometryProblem, check_structure, parse_geometry

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def rule_of(geojson, **kwargs) -> str:
    with pytest.raises(GeometryProblem) as caught:
        parse_geometry(geojson, **kwargs)
    return caught.value.rule


@pytest.mark.parametrize("geojson", [
    {"type": "Point", "coordinates": [103.5, 35.6]},
    {"type": "Point", "coordinates": (103, 35, 1900.5)},
    {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
    {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[2, 2], [3, 3]]]},
    {"type": "Polygon", "coordinates": [SQUARE]},
    {"type": "Polygon", "coordinates": [SQUARE], "bbox": [0, 0, 1, 1]},
    {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[p[0] + 2, p[1]] for p in SQUARE]]]},
])
def test_well_formed_geometry_is_accepted(geojson):
    assert parse_geometry(geojson).is_valid


@pytest.mark.parametrize("coordinates", [
    [["0", "0"], ["1", "1"]], [[0, 0], [True, 1]], [[0, 0], [None, 1]], [[0, 0], [float("nan"), 1]],
    [[0, 0], [float("inf"), 1]], [[0, 0], [{"x": 1}, 1]],
])
def test_a_coordinate_must_be_a_finite_json_number(coordinates):
    assert rule_of({"type": "LineString", "coordinates": coordinates}) == "coordinate_type"


def test_the_problem_names_where_it_is():
    with pytest.raises(GeometryProblem) as caught:
        check_structure({"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[2, 2], [3, "3"]]]})
    assert caught.value.detail == "coordinates[1][1][1]"


def test_string_coordinates_never_reach_shapely():
    # shapely (numpy) would read "0" as 0.0 and store the strings as given.
    assert rule_of({"type": "Point", "coordinates": ["103.5", "35.6"]}) == "coordinate_type"


@pytest.mark.parametrize("ring", [[[0, 0], [1, 0], [1, 1], [0, 1]], [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0.5]]])
def test_an_open_ring_is_refused(ring):
    assert rule_of({"type": "Polygon", "coordinates": [ring]}) == "ring_not_closed"


@pytest.mark.parametrize("geojson,rule", [
    ({"type": "LineString", "coordinates": [[0, 0]]}, "too_few_positions"),
    ({"type": "LineString", "coordinates": []}, "too_few_positions"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "too_few_positions"),
    ({"type": "Polygon", "coordinates": []}, "empty"),
    ({"type": "MultiPolygon", "coordinates": []}, "empty"),
    ({"type": "Point", "coordinates": [[0, 0]]}, "nesting"),
    ({"type": "Point", "coordinates": "0,0"}, "nesting"),
    ({"type": "LineString", "coordinates": [[[0, 0], [1, 1]]]}, "nesting"),
    ({"type": "Polygon", "coordinates": SQUARE}, "nesting"),
    ({"type": "MultiPolygon", "coordinates": [SQUARE]}, "nesting"),
    ({"type": "Polygon", "coordinates": [[SQUARE]]}, "nesting"),
    ({"type": "Point", "coordinates": [0]}, "position"),
    ({"type": "Point", "coordinates": [0, 0, 0, 0]}, "position"),
    ({"type": "Point", "coordinates": [181, 0]}, "range"),
    ({"type": "Point", "coordinates": [0, -90.5]}, "range"),
    ({"type": "Point"}, "not_geojson"),
    ({"type": ["Point"], "coordinates": [0, 0]}, "type"),
    ({"type": "MultiPoint", "coordinates": [[0, 0]]}, "type"),
])
def test_geometry_of_the_wrong_shape_names_the_rule(geojson, rule):
    assert rule_of(geojson) == rule


@pytest.mark.parametrize("extra", [{"crs": {"type": "name"}}, {"properties": {}}, {"id": 1}, {"geometries": []}])
def test_members_other_than_type_coordinates_and_bbox_are_refused(extra):
    with pytest.raises(GeometryProblem) as caught:
        parse_geometry({"type": "Polygon", "coordinates": [SQUARE], **extra})
    assert caught.value.rule == "members"
    assert caught.value.detail == next(iter(extra))


@pytest.mark.parametrize("bbox", [[0, 0, 0.5, 0.5], [0, 0, 1], [1, 1, 0, 0], ["0", 0, 1, 1], None,
                                  [0, 0, 1, float("nan")]])
def test_a_bbox_must_be_well_formed_and_hold_the_geometry(bbox):
    assert rule_of({"type": "Polygon", "coordinates": [SQUARE], "bbox": bbox}) == "bbox"


def test_vertex_limit_counts_every_position_of_the_geometry():
    assert DEFAULT_MAX_VERTICES == 20_000
    line = [[i * 1e-5, (i % 2) * 1e-5] for i in range(11)]
    assert rule_of({"type": "LineString", "coordinates": line}, max_vertices=10) == "too_many_vertices"
    parse_geometry({"type": "LineString", "coordinates": line[:10]}, max_vertices=10)
    two_lines = {"type": "MultiLineString", "coordinates": [line[:6], line[5:]]}  # 12 positions in all
    assert rule_of(two_lines, max_vertices=11) == "too_many_vertices"


def test_a_huge_geometry_is_refused_without_reading_it_all():
    huge = {"type": "LineString", "coordinates": [[0, 0]] * 1_000_000}
    with pytest.raises(GeometryProblem) as caught:
        check_structure(huge)
    assert (caught.value.rule, caught.value.detail) == ("too_many_vertices", "20000")
