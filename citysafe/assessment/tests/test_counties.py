"""Several counties in one deployment (issue 19): each county runs its own self-assessment,
indicator systems and base figures, and sees none of the other county's; the prefecture office
assesses its counties on the workflow and publishes, each county reading its own result."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from citysafe.assessment.models import (
    BaseFigure,
    CityItem,
    CityItemScore,
    CitySelfAssessment,
    CountyItemScore,
    CountyResult,
    IndicatorSystem,
)
from citysafe.assessment.services import city, counties, figures, systems
from citysafe.assessment.tests.counties import COUNTY_INDICATORS, build_two
from citysafe.assessment.tests.county import INDICATORS, YEAR
from citysafe.assessment.workflows import COUNTY_REVIEW
from citysafe.core import scope
from tests.api.conftest import Api


@pytest.fixture
def two(db):
    return build_two()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _visible(user, model):
    return set(scope.narrow(user, model.objects.all()).values_list("pk", flat=True))


def test_the_second_county_runs_its_own_self_assessment_on_its_own_copy_of_the_checklist(two):
    mine = city.run_self_assessment(two.admin_a, YEAR)
    theirs = city.run_self_assessment(two.admin_b, YEAR)  # the same year: one per county
    assert (mine.county_id, theirs.county_id) == (two.a.pk, two.b.pk)
    own_items = CityItem.objects.filter(county=two.b)
    assert own_items.count() == city.checklist(two.a.pk).count() > 0  # 东乡: the seeded rows (no county)
    assert set(theirs.items.values_list("item__county", flat=True)) == {two.b.pk}
    assert theirs.score > 0
    # Neither county sees the other's checklist, self-assessment or item scores; the prefecture sees both.
    for model in (CityItem, CitySelfAssessment, CityItemScore):
        assert not _visible(two.admin_a, model) & _visible(two.admin_b, model), model
    assert {mine.pk, theirs.pk} <= _visible(two.prefecture, CitySelfAssessment)
    score_b = theirs.items.filter(item__metric="").first()
    with pytest.raises(CityItemScore.DoesNotExist):
        city.set_city_item(two.admin_a, score_b.pk, lost=0, note="")
    page = _client(two.admin_b).get(f"/assessment/city/?year={YEAR}")
    assert page.status_code == 200 and f"/assessment/city/items/{score_b.pk}/" in page.text
    score_a = mine.items.filter(item__metric="").first()
    assert f"/assessment/city/items/{score_a.pk}/" not in page.text


def test_county_scoped_tables_are_for_the_county_wide_roles_of_that_county_only(two):
    city.run_self_assessment(two.admin_a, YEAR)
    city.run_self_assessment(two.admin_b, YEAR)
    for user in (two.township_a, two.department_a):
        for model in (CityItem, CitySelfAssessment, CityItemScore, BaseFigure, IndicatorSystem):
            assert not _visible(user, model), (user.username, model)
    assert _visible(two.leader_b, CitySelfAssessment) == _visible(two.admin_b, CitySelfAssessment) != set()


def test_each_county_has_its_own_indicator_system_for_the_year_and_cannot_open_the_others(two):
    system_a = systems.create_indicator_system(two.admin_a, year=YEAR, unit_kind="township", title="东乡乡镇考核",
                                               indicators=INDICATORS)
    system_b = systems.create_indicator_system(two.admin_b, year=YEAR, unit_kind="township", title="广河乡镇考核",
                                               indicators=INDICATORS)
    with pytest.raises(ValidationError) as twice:
        systems.create_indicator_system(two.admin_b, year=YEAR, unit_kind="township", title="再来",
                                        indicators=INDICATORS)
    assert "year" in twice.value.message_dict
    assert (system_a.county_id, system_b.county_id) == (two.a.pk, two.b.pk)
    from citysafe.assessment.services import scoring

    assert scoring.score_system(two.admin_b, system_b.pk) == 3  # 广河's three townships, none of 东乡's
    client_a = _client(two.admin_a)
    assert client_a.get(f"/assessment/systems/{system_b.pk}/").status_code == 404
    assert client_a.get(f"/assessment/systems/{system_b.pk}/ranking.xlsx").status_code == 404
    assert "广河乡镇考核" not in client_a.get("/assessment/systems/").text
    assert Api(two.admin_a).get(f"appraisal/systems/{system_b.pk}/ranking").status_code == 404
    with pytest.raises(IndicatorSystem.DoesNotExist):
        scoring.score_system(two.admin_a, system_b.pk)


def test_base_figures_are_kept_per_county(two):
    figures.save_base_figure(two.admin_a, year=YEAR, gdp_yi=50, vehicles_wan=3, population=300000)
    figures.save_base_figure(two.admin_b, year=YEAR, gdp_yi=40, vehicles_wan=2, population=250000)
    assert BaseFigure.objects.filter(year=YEAR).count() == 2
    assert [f.gdp_yi for f in scope.narrow(two.admin_b, BaseFigure.objects.filter(year=YEAR))] == [40]


def _county_system(two):
    return systems.create_indicator_system(two.prefecture, year=YEAR, unit_kind="county", title="2021年度县（市）考核",
                                           indicators=COUNTY_INDICATORS)


def test_the_prefecture_assesses_its_counties_and_each_county_reads_only_its_published_result(two):
    system = _county_system(two)
    assert system.issuer == two.prefecture.organisation and system.county_id is None
    assert counties.score_counties(two.prefecture, system.pk, today=date(YEAR + 1, 1, 15)) == 2
    result_a = CountyResult.objects.get(system=system, county=two.a)
    result_b = CountyResult.objects.get(system=system, county=two.b)
    manual_b = CountyItemScore.objects.get(result=result_b, indicator__code="C3")
    counties.set_county_item(two.prefecture, manual_b.pk, score=25, note="责任制落实检查")
    with pytest.raises(ValidationError):
        counties.set_county_item(two.prefecture, manual_b.pk, score=31, note="")  # above the item's weight
    result_b.refresh_from_db()
    assert result_b.rank is not None and result_b.score >= 25

    client_b = _client(two.admin_b)
    assert client_b.get(f"/assessment/county-results/{result_b.pk}/").status_code == 404  # a draft: not yet
    result_b = COUNTY_REVIEW.apply(two.prefecture, CountyResult, result_b.pk, "submit", expected_version=result_b.version)
    COUNTY_REVIEW.apply(two.prefecture, CountyResult, result_b.pk, "publish", expected_version=result_b.version)
    page = client_b.get(f"/assessment/county-results/{result_b.pk}/")
    assert page.status_code == 200 and "责任制落实检查" in page.text
    assert 'name="score"' not in page.text and "county_transition" not in page.text  # read-only
    assert client_b.get(f"/assessment/county-results/{result_a.pk}/").status_code == 404
    ranking = Api(two.admin_b).get(f"appraisal/county-systems/{system.pk}/ranking").json()
    assert [r["county_id"] for r in ranking] == [two.b.pk]
    assert _client(two.prefecture).get(f"/assessment/county-systems/{system.pk}/").status_code == 200


def test_only_the_issuing_prefecture_office_writes_the_county_assessment(two):
    system = _county_system(two)
    item_b = CountyItemScore.objects.get(result__county=two.b, indicator__code="C3")
    with pytest.raises(PermissionDenied):
        counties.set_county_item(two.admin_b, item_b.pk, score=10)
    with pytest.raises(PermissionDenied):
        counties.score_counties(two.admin_b, system.pk)
    with pytest.raises(PermissionDenied):
        COUNTY_REVIEW.apply(two.admin_b, CountyResult, item_b.result_id, "submit", expected_version=0)
    with pytest.raises(ValidationError):  # counties are assessed by the prefecture, townships by a county
        systems.create_indicator_system(two.admin_b, year=YEAR, unit_kind="county", title="x", indicators=INDICATORS)
    with pytest.raises(ValidationError):
        systems.create_indicator_system(two.prefecture, year=YEAR, unit_kind="township", title="x",
                                        indicators=INDICATORS)
    api = Api(two.admin_b)
    refused = api.client.put(api._url(f"appraisal/county-items/{item_b.pk}/score"), '{"score": 10}',
                             content_type="application/json")
    assert refused.status_code == 403


def test_the_migration_gives_the_rows_without_a_county_to_the_home_county(two):
    import importlib

    from django.apps import apps

    city.run_self_assessment(two.admin_b, YEAR)  # 广河's own rows keep their county
    assert CityItem.objects.filter(county__isnull=True).exists()  # seeded before any county existed
    importlib.import_module("citysafe.assessment.migrations.0006_fill_home_county").fill(apps, None)
    assert not CityItem.objects.filter(county__isnull=True).exists()
    assert CityItem.objects.filter(county=two.b).count() == CityItem.objects.filter(county=two.a).count()
    assert scope.narrow(two.admin_a, CityItem.objects.all()).count() == CityItem.objects.filter(county=two.a).count()
