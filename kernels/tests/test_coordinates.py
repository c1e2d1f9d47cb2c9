"""GCJ-02 → WGS-84 for coordinates pasted from Chinese web maps (kernels.coordinates)."""
import prcoords

from kernels.coordinates import gcj02_to_wgs84, geometry_gcj02_to_wgs84


def test_gcj02_point_goes_back_to_the_wgs84_point_it_came_from_within_a_centimetre():
    wgs = (103.39, 35.66)
    gcj = prcoords.wgs_gcj(prcoords.Coords(lat=wgs[1], lon=wgs[0]), False)
    lon, lat = gcj02_to_wgs84(gcj.lon, gcj.lat)
    assert abs(lon - wgs[0]) < 1e-7 and abs(lat - wgs[1]) < 1e-7


def test_every_position_of_a_geometry_is_converted_and_elevation_kept():
    line = {"type": "LineString", "coordinates": [[103.39, 35.66, 1900.0], [103.40, 35.67]]}
    converted = geometry_gcj02_to_wgs84(line)
    assert converted["coordinates"][0][2] == 1900.0
    assert converted["coordinates"][0][:2] == list(gcj02_to_wgs84(103.39, 35.66))
    assert converted["coordinates"][1] == list(gcj02_to_wgs84(103.40, 35.67))


def test_malformed_geometry_is_returned_unchanged_for_the_geometry_check_to_name():
    for bad in (None, "x", {"type": "Point"}, {"type": "Point", "coordinates": ["103", "35"]},
                {"type": "Point", "coordinates": [[]]}):
        assert geometry_gcj02_to_wgs84(bad) == bad
