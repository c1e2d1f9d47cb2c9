"""Incident command: ranked resources, dispatch, material issue, transitions, report, raising
an incident from another record — through the services and the pages, on the seeded county."""
import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.urls import reverse

from citysafe.core.workflow import TransitionError
from citysafe.emergency import selectors
from citysafe.emergency.models import Dispatch, Incident, IncidentLog, Material, RescueTeam
from citysafe.emergency.services import incidents as services
from citysafe.registry.models import Place


def _incident(world):
    return Incident.objects.filter(township=world.township_a).order_by("id").first()


def _material_in_a(world, **filters):
    return Material.objects.filter(stockpile__township=world.township_a, **filters).order_by("id").first()


def test_incident_page_ranks_the_townships_teams_by_travel_time(client, world):
    incident = _incident(world)
    ranked = selectors.ranked_resources(world.township_officer, incident)
    assert ranked["has_network"] and ranked["teams"]
    seconds = [r.seconds for r in ranked["teams"]]
    assert seconds == sorted(seconds)
    assert all(r.record.township_id == world.township_a.pk for r in ranked["teams"])  # its own scope only
    client.force_login(world.township_officer)
    page = client.get(reverse("emergency:detail", args=["incidents", incident.pk])).content.decode()
    assert ranked["teams"][0].record.name in page and "绿色通道路线" in page


def test_dispatching_a_team_writes_an_order_and_a_timeline_line(world):
    incident, team = _incident(world), RescueTeam.objects.filter(township=world.township_a).first()
    order = services.dispatch_team(world.township_officer, incident.pk, team.pk, eta_seconds=420)
    assert (order.kind, order.team_id, order.status) == (Dispatch.Kind.TEAM, team.pk, Dispatch.Status.ORDERED)
    assert IncidentLog.objects.filter(incident=incident, text__contains=team.name).exists()
    with pytest.raises(ValidationError) as refused:
        services.dispatch_team(world.township_officer, incident.pk, team.pk)
    assert "已调派" in str(refused.value)


def test_issuing_material_decrements_stock_and_never_below_zero(world):
    incident, material = _incident(world), _material_in_a(world)
    held = material.quantity
    services.issue_material(world.township_officer, incident.pk, material.pk, 5)
    material.refresh_from_db()
    assert material.quantity == held - 5
    with pytest.raises(ValidationError) as refused:
        services.issue_material(world.township_officer, incident.pk, material.pk, held)
    assert "库存不足" in str(refused.value) and refused.value.message_dict.keys() == {"quantity"}
    material.refresh_from_db()
    assert material.quantity == held - 5
    for bad in (0, -1, float("nan"), True, "3"):
        with pytest.raises(ValidationError):
            services.issue_material(world.township_officer, incident.pk, material.pk, bad)
    assert Dispatch.objects.filter(incident=incident, kind=Dispatch.Kind.MATERIAL).count() == 1


def test_another_townships_incident_and_material_are_out_of_reach(world):
    incident, material = _incident(world), _material_in_a(world)
    with pytest.raises(ObjectDoesNotExist):
        services.dispatch_team(world.other_township_officer, incident.pk, 1)
    other = Incident.objects.filter(township=world.township_b).first()
    with pytest.raises(ValidationError) as refused:
        services.issue_material(world.other_township_officer, other.pk, material.pk, 1)
    assert "不在您的数据范围内" in str(refused.value)


def test_negative_stock_is_refused_through_the_api(world, api_as):
    material = _material_in_a(world)
    api = api_as(world.township_officer)
    answer = api.patch(f"materials/{material.pk}", {"quantity": -1, "version": material.version})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "quantity"
    created = api.post("materials", {"stockpile_id": material.stockpile_id, "code": "WZ-NEG", "name": "沙袋",
                                     "unit": "条", "quantity": -5})
    assert created.status_code == 422
    assert not Material.objects.filter(code="WZ-NEG").exists()


def test_incident_runs_from_report_to_close_and_needs_a_summary(world):
    incident, officer = _incident(world), world.township_officer
    incident = services.transition_incident(officer, incident.pk, "respond", expected_version=incident.version)
    incident = services.transition_incident(officer, incident.pk, "control", expected_version=incident.version)
    with pytest.raises(TransitionError) as refused:
        services.transition_incident(officer, incident.pk, "close", expected_version=incident.version, summary="")
    assert "处置总结" in str(refused.value)
    incident.refresh_from_db()
    incident = services.transition_incident(officer, incident.pk, "close", expected_version=incident.version,
                                            summary="火势扑灭，无人员死亡")
    assert incident.status == Incident.Status.CLOSED
    assert IncidentLog.objects.filter(incident=incident, text__contains="已结束").exists()
    with pytest.raises(ValidationError) as refused:
        services.add_task(officer, incident.pk, "清理现场")
    assert "已结束" in str(refused.value)


def test_closing_report_is_a_pdf(client, world):
    incident = _incident(world)
    services.add_log(world.township_officer, incident.pk, "消防队到场")
    client.force_login(world.township_officer)
    response = client.get(reverse("emergency:incident-report", args=[incident.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(world.other_township_officer)
    assert client.get(reverse("emergency:incident-report", args=[incident.pk])).status_code == 404


def test_closing_report_embeds_a_noto_cjk_font_and_its_chinese_text_is_extractable(client, world, tmp_path):
    """One PDF library (weasyprint): the font travels inside the file (no reader-side Song
    substitute), so the report reads the same everywhere and its text can be searched."""
    import subprocess  # noqa: S404 -- poppler's pdffonts / pdftotext on a file the test wrote

    incident = _incident(world)
    services.add_log(world.township_officer, incident.pk, "消防队到场，火势已控制")
    client.force_login(world.township_officer)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(reverse("emergency:incident-report", args=[incident.pk])).content)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607
    cjk = [line for line in fonts.splitlines() if "NotoSansCJK" in line.replace("-", "")]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded
    assert "STSong" not in fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607
    flat = "".join(text.split())  # the title is letter-spaced
    for words in ("突发事件处置总结报告", incident.title, "消防队到场，火势已控制", "调度指令"):
        assert "".join(words.split()) in flat


def test_an_incident_is_raised_from_a_place_in_its_township(world):
    place = Place.objects.filter(township=world.township_a, archived_at__isnull=True).order_by("id").first()
    incident = services.raise_incident(world.township_officer, place, title="场所火情", incident_type="fire")
    assert (incident.township_id, incident.source_type, incident.source_id) == (
        world.township_a.pk, "registry.Place", place.pk)
    assert (incident.lon, incident.lat) == (place.lon, place.lat)
    other = Place.objects.filter(township=world.township_b, archived_at__isnull=True).first()
    with pytest.raises(ObjectDoesNotExist):
        services.raise_incident(world.township_officer, other, title="外乡", incident_type="fire")
