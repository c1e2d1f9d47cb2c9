"""CAP 1.2 out (validated against cap12.xsd for every level and message type) and CAP 1.1/1.2
in (real-world-shaped messages, declared encodings, hostile XML refused unresolved)."""
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from citysafe.early_warning.cap import CAP12
from citysafe.early_warning.cap.export import build_alert, schema, to_xml
from citysafe.early_warning.cap_import import import_cap
from citysafe.early_warning.models import Warning
from citysafe.early_warning.services import start_revision

SAMPLES = Path(__file__).parent / "cap"
NS = {"cap": CAP12}


def _valid(xml: bytes) -> etree._Element:
    document = etree.fromstring(xml)
    schema().assertValid(document)
    return document


@pytest.mark.parametrize("level,severity", [(1, "Extreme"), (2, "Severe"), (3, "Moderate"), (4, "Minor")])
def test_every_level_exports_as_valid_cap_with_the_severity_of_its_colour(world, make_warning, publish, level, severity):
    warning = publish(make_warning(level=level, townships=[world.township_a, world.township_b],
                                   headline_en="Rainstorm warning", description_en="Heavy rain."))
    document = _valid(to_xml(warning))
    assert document.findtext("cap:msgType", namespaces=NS) == "Alert"
    assert document.findtext("cap:identifier", namespaces=NS) == warning.identifier
    infos = document.findall("cap:info", NS)
    assert [i.findtext("cap:language", namespaces=NS) for i in infos] == ["zh-CN", "en-US"]
    assert {i.findtext("cap:severity", namespaces=NS) for i in infos} == {severity}
    codes = {v.text for v in infos[0].iterfind("cap:area/cap:geocode/cap:value", NS)}
    assert codes == {world.township_a.code, world.township_b.code}


def test_identifier_has_the_national_profile_shape_in_beijing_time(world, make_warning, publish):
    import re

    warning = publish(make_warning())
    assert re.fullmatch(r"\d{6}\d{3}\d{5}_\d{14}_\d+", warning.identifier)
    sent = etree.fromstring(to_xml(warning)).findtext("cap:sent", namespaces=NS)
    assert sent.endswith("+08:00") and warning.identifier.split("_")[1] == sent[:19].replace("-", "").replace(
        "T", "").replace(":", "")


@pytest.mark.parametrize("msg_type", ["Update", "Cancel"])
def test_update_and_cancel_export_valid_cap_referencing_the_previous_version(world, make_warning, publish, msg_type):
    first = publish(make_warning(level=2))
    second = publish(start_revision(world.department, first.pk, msg_type))
    document = _valid(to_xml(second))
    assert document.findtext("cap:msgType", namespaces=NS) == msg_type
    sender, identifier, sent = document.findtext("cap:references", namespaces=NS).split(",")
    assert identifier == first.identifier


def test_polygon_and_circle_areas_are_written_lat_lon(world, make_warning, publish):
    from shapely.geometry import shape

    centre = shape(world.township_a.geometry).representative_point()
    circle = publish(make_warning(area_kind="circle", circle_lon=centre.x, circle_lat=centre.y,
                                  circle_radius_km=2, areas=[]))
    text = _valid(to_xml(circle)).findtext("cap:info/cap:area/cap:circle", namespaces=NS)
    assert text == f"{centre.y:.6f},{centre.x:.6f} 2"
    x, y, d = centre.x, centre.y, 0.002
    ring = [[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]
    drawn = publish(make_warning(area_kind="polygon", geometry={"type": "Polygon", "coordinates": [ring]}, areas=[]))
    polygon = _valid(to_xml(drawn)).findtext("cap:info/cap:area/cap:polygon", namespaces=NS)
    lat, lon = (float(v) for v in polygon.split()[0].split(","))
    assert 35 < lat < 36 and 103 < lon < 104


def test_times_keep_sent_le_effective_le_expires(world, make_warning, publish):
    from datetime import datetime

    document = _valid(to_xml(publish(make_warning())))
    sent = datetime.fromisoformat(document.findtext("cap:sent", namespaces=NS))
    info = document.find("cap:info", NS)
    effective = datetime.fromisoformat(info.findtext("cap:effective", namespaces=NS))
    expires = datetime.fromisoformat(info.findtext("cap:expires", namespaces=NS))
    assert sent <= effective <= expires


def test_a_draft_has_no_cap(world, make_warning):
    from citysafe.early_warning.cap.export import CapRuleError

    with pytest.raises(CapRuleError):
        build_alert(make_warning())


@pytest.mark.parametrize("name,level,kind,area_kind", [
    ("cma_rainstorm_12.xml", 2, "rainstorm", "areas"),
    ("usgs_earthquake_12.xml", 3, "earthquake", "polygon"),
    ("nws_winter_11.xml", 3, "snow_ice", "polygon"),
    ("gale_gb2312_11.xml", 4, "gale", "polygon"),
])
def test_real_world_shaped_cap_messages_import_as_drafts(world, name, level, kind, area_kind):
    warning = import_cap(world.department, (SAMPLES / name).read_bytes(), source="test")
    assert (warning.status, warning.level, warning.warning_type, warning.area_kind) == ("draft", level, kind, area_kind)
    assert warning.townships.exists()
    assert warning.issuing_department == world.department.organisation


def test_an_imported_alerts_english_block_is_kept(world):
    warning = import_cap(world.department, (SAMPLES / "cma_rainstorm_12.xml").read_bytes())
    assert warning.headline_en == "Orange rainstorm warning"
    assert warning.headline.startswith("临夏州气象台")
    assert warning.townships.count() == Warning.objects.get(pk=warning.pk).townships.count() > 1


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_hostile_xml_is_refused_without_being_resolved(world, name):
    before = Warning.objects.count()
    with pytest.raises(ValidationError) as caught:
        import_cap(world.department, (SAMPLES / name).read_bytes())
    assert caught.value.message_dict.keys() == {"file"}
    assert "DOCTYPE" in caught.value.message_dict["file"][0]
    assert Warning.objects.count() == before


@pytest.mark.parametrize("data,field", [
    (b"<alert><unclosed></alert>", "file"),
    (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'/>", "file"),
    (b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>x</identifier></alert>", "sender"),
    (b"x" * 1_000_001, "file"),
])
def test_not_cap_not_well_formed_or_too_large_is_refused_naming_the_rule(world, data, field):
    with pytest.raises(ValidationError) as caught:
        import_cap(world.department, data)
    assert field in caught.value.message_dict


def test_an_alert_outside_the_county_is_refused_naming_the_area(world):
    data = (SAMPLES / "usgs_earthquake_12.xml").read_bytes().replace(b"35.70,103.45 25", b"40.0,116.4 25")
    with pytest.raises(ValidationError) as caught:
        import_cap(world.department, data)
    assert "area" in caught.value.message_dict
