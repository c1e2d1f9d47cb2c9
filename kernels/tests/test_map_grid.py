import math

import pytest

from kernels.map_grid import CELL_PIXELS, ViewportError, cell_degrees, fold_cells, parse_viewport, pixel_degrees


def test_a_cell_halves_with_each_zoom_level():
    assert cell_degrees(0) == pytest.approx(360.0 * 80 / 256)
    assert cell_degrees(10) == pytest.approx(cell_degrees(9) / 2)


def test_viewport_reads_bbox_and_zoom_and_none_when_neither_is_given():
    view = parse_viewport("103.1,35.4,103.8,35.9", "10")
    assert (view.west, view.south, view.east, view.north, view.zoom) == (103.1, 35.4, 103.8, 35.9, 10)
    assert parse_viewport(None, None) is None


@pytest.mark.parametrize("bbox, zoom, field, rule", [
    ("1,2,3", "5", "bbox", "four_numbers"),
    ("1,2,3,inf", "5", "bbox", "four_numbers"),
    ("181,2,182,3", "5", "bbox", "longitude_range"),
    ("1,-91,2,3", "5", "bbox", "latitude_range"),
    ("2,2,1,3", "5", "bbox", "order"),
    ("1,2,3,4", "23", "zoom", "zoom_range"),
    ("1,2,3,4", "+5", "zoom", "zoom_range"),
    ("1,2,3,4", None, "zoom", "missing"),
    (None, "5", "bbox", "missing"),
])
def test_bad_viewports_name_field_and_rule(bbox, zoom, field, rule):
    with pytest.raises(ViewportError) as caught:
        parse_viewport(bbox, zoom)
    assert (caught.value.field, caught.value.rule) == (field, rule)


def test_cells_fold_into_groups_with_weighted_position_and_worst_level():
    rows = [(1, 1, "school", 3, 103.0, 35.0, 3), (1, 1, "hospital", 1, 103.4, 35.4, 1),
            (1, 1, "gas_station", 2, 103.2, 35.2, None), (2, 1, "school", 5, 104.0, 35.0, 0)]
    family = {"school": "crowded", "hospital": "crowded", "gas_station": "hazard"}.get
    clusters = fold_cells(rows, family)
    crowded = next(c for c in clusters if (c.cx, c.group) == (1, "crowded"))
    assert crowded.count == 4
    assert math.isclose(crowded.lon, (3 * 103.0 + 103.4) / 4)
    assert crowded.worst == 1
    assert next(c for c in clusters if c.group == "hazard").worst is None
    assert next(c for c in clusters if c.cx == 2).worst is None  # 0 = not graded
    assert sum(c.count for c in clusters) == 11


def test_a_pixel_spans_the_world_over_the_tiles_at_a_zoom_and_a_cell_is_cell_pixels_wide():
    assert pixel_degrees(0) == pytest.approx(360 / 256)
    assert pixel_degrees(10) == pytest.approx(360 / 256 / 1024)
    assert cell_degrees(12) == pytest.approx(pixel_degrees(12) * CELL_PIXELS)
