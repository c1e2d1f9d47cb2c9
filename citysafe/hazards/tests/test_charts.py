"""Statistics as charts beside the tables: per township, per industry and per month, scoped."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_landing_page_shows_charts_and_the_industry_table(hw):
    hw.hazard()
    page = _client(hw.world.township_officer).get("/hazards/").content.decode()
    for name in ("township", "industry", "month"):
        assert f'src="/hazards/charts/{name}.svg"' in page
    assert 'id="hazard-by-industry"' in page and 'id="hazard-summary"' in page


def test_each_chart_is_an_svg_drawn_from_the_callers_own_figures(hw):
    w = hw.world
    hw.hazard()
    mine = _client(w.township_officer).get("/hazards/charts/township.svg")
    assert mine.status_code == 200 and mine["Content-Type"] == "image/svg+xml"
    svg = mine.content.decode()
    assert "<svg" in svg and w.township_a.name in svg and w.township_b.name not in svg
    industry = _client(w.admin).get("/hazards/charts/industry.svg").content.decode()
    assert "按行业统计" in industry
    assert _client(w.admin).get("/hazards/charts/month.svg").status_code == 200
    assert _client(w.admin).get("/hazards/charts/nothing.svg").status_code == 404
    assert Client().get("/hazards/charts/township.svg").status_code == 302
