"""The prefecture's comparison of its counties: figures per county from the platform's data,
one grouped query per figure whatever the number of counties, sortable, exported as Excel
(audited), and open to the office over several counties only."""
import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from citysafe.assessment.services import city, compare, counties, systems
from citysafe.assessment.tests.counties import COUNTY_INDICATORS, add_county, build_two
from citysafe.assessment.tests.county import YEAR
from citysafe.core.audit_models import AuditRecord
from citysafe.registry.models import Enterprise


@pytest.fixture
def two(db):
    return build_two()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _fresh(user):
    """The user as a new request would load it (no per-request caches)."""
    return type(user).objects.select_related("organisation__area", "enterprise").get(pk=user.pk)


def test_each_countys_figures_are_its_own_records(two):
    city.run_self_assessment(two.admin_b, YEAR)
    system = systems.create_indicator_system(two.prefecture, year=YEAR, unit_kind="county", title="县考核",
                                             indicators=COUNTY_INDICATORS)
    counties.score_counties(two.prefecture, system.pk, today=date(YEAR + 1, 1, 15))
    rows, year = compare.comparison(two.prefecture, YEAR)
    assert year == YEAR and [r.county_id for r in rows] == sorted([two.a.pk, two.b.pk], key=lambda pk: (
        two.a.code if pk == two.a.pk else two.b.code))
    by_county = {r.county_id: r.figures for r in rows}
    for county in (two.a, two.b):
        expected = Enterprise.objects.filter(township__county=county, archived_at__isnull=True).count()
        assert by_county[county.pk]["enterprises"] == expected > 0
    from citysafe.hazards.models import OPEN_STATES, Hazard

    open_b = Hazard.objects.filter(township__county=two.b, status__in=OPEN_STATES, archived_at__isnull=True).count()
    assert by_county[two.b.pk]["hazards_open"] == open_b > 0
    assert by_county[two.b.pk]["self_assessment"] is not None and by_county[two.a.pk]["self_assessment"] is None
    assert by_county[two.b.pk]["prefecture_score"] is not None


def test_the_comparison_reads_each_figure_once_whatever_the_number_of_counties(two):
    client = _client(two.prefecture)
    client.get("/assessment/counties/")  # warm the per-process caches (content types, nav)
    with CaptureQueriesContext(connection) as with_two:
        assert client.get("/assessment/counties/?sort=enterprises&dir=desc").status_code == 200
    add_county("622999", "测试县")
    with CaptureQueriesContext(connection) as with_three:
        page = client.get("/assessment/counties/?sort=enterprises&dir=desc")
    assert page.status_code == 200 and "测试县" in page.text
    assert len(with_three) == len(with_two), [q["sql"] for q in with_three.captured_queries]


def test_the_comparison_sorts_by_a_figure(two):
    add_county("622999", "测试县")  # one enterprise: fewer than either demo county
    rows, _year = compare.comparison(_fresh(two.prefecture), YEAR)
    ascending = compare.sort_rows(rows, "enterprises", descending=False)
    assert ascending[0].name == "测试县"
    assert [r.figures["enterprises"] for r in ascending] == sorted(r.figures["enterprises"] for r in rows)
    page = _client(two.prefecture).get("/assessment/counties/?sort=enterprises&dir=desc")
    assert page.text.index("测试县") > page.text.index(two.b.name)


def test_the_comparison_exports_as_excel_and_the_export_is_audited(two):
    before = AuditRecord.objects.filter(action="export").count()
    response = _client(two.prefecture).get(f"/assessment/counties/compare.xlsx?year={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "县（市）" and "企业数" in rows[0]
    assert {r[0] for r in rows[1:]} == {two.a.name, two.b.name}
    assert AuditRecord.objects.filter(action="export").count() == before + 1


def test_county_users_cannot_open_the_comparison_and_see_no_menu_entry_for_it(two):
    for user in (two.admin_a, two.admin_b, two.leader_b, two.township_a):
        client = _client(user)
        assert client.get("/assessment/counties/").status_code == 404, user.username
        assert client.get("/assessment/counties/compare.xlsx").status_code == 404, user.username
        assert "/assessment/counties/" not in client.get("/").text, user.username
    assert "/assessment/counties/" in _client(two.prefecture).get("/").text
