"""Annual assessment: each automatic score of a small county with known 2021 records, checked
by hand; weights, maximum scores, the one-vote veto, ranking, review and the result letter."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from citysafe.assessment.models import Accident, IndicatorSystem, ItemScore, UnitResult
from citysafe.assessment.services import metrics, scoring, systems
from citysafe.assessment.tests.county import INDICATORS, YEAR, build
from citysafe.assessment.workflows import RESULT_REVIEW

TODAY = date(YEAR + 1, 1, 15)


@pytest.fixture
def county(world):
    return build(world)


def _system(admin, indicators=INDICATORS):
    return systems.create_indicator_system(admin, year=YEAR, unit_kind="township", title="2021年度乡镇考核",
                                           indicators=indicators)


def _items(county, system):
    result = UnitResult.objects.get(system=system, organisation=county.organisation)
    return result, {s.indicator.code: s for s in result.items.select_related("indicator")}


def test_each_automatic_score_of_a_township_matches_its_records_counted_by_hand(world, county):
    system = _system(world.admin)
    scoring.score_system(world.admin, system.pk, today=TODAY)
    result, items = _items(county, system)
    by_hand = {  # (met, due, points)
        "A1": (1, 3, Decimal("10.00")),   # 30 × 1/3: one closed by its deadline's day, one a day late, one open
        "A2": (1, 2, Decimal("5.00")),    # 10 × 1/2: one assessed in 2021, one overdue reassessment
        "A3": (3, 4, Decimal("15.00")),   # 20 × 3/4
        "A4": (1, 3, Decimal("4.38")),    # 15 × (1/3 − 0.1) / (0.9 − 0.1) = 4.375
        "A5": (2, 4, Decimal("5.00")),    # 10 × 2/4
        "A6": (1, 2, Decimal("2.50")),    # 5 × 1/2
    }
    for code, (met, due, points) in by_hand.items():
        assert (items[code].numerator, items[code].denominator, items[code].score) == (met, due, points), code
    assert items["M1"].score is None  # manual: nothing until the office scores it
    assert result.score == Decimal("41.88")


def test_every_automatic_score_shows_the_records_it_came_from(world, county):
    period = metrics.Period.of_year(YEAR, TODAY)
    rows = list(metrics.records("hazards_closed_on_time", "township", county.township.pk, period))
    assert len(rows) == 3 and sum(r.is_met for r in rows) == 1
    system = _system(world.admin)
    scoring.score_system(world.admin, system.pk, today=TODAY)
    _result, items = _items(county, system)
    from django.test import Client

    client = Client()
    client.force_login(world.admin)
    page = client.get(f"/assessment/items/{items['A3'].pk}/sources/")
    assert page.status_code == 200 and page.text.count("未达标") == 1 and "共4条" in page.text
    for code in ("A1", "A2", "A3", "A4", "A5", "A6"):  # every automatic item: the page lists what was counted
        item = items[code]
        page = client.get(f"/assessment/items/{item.pk}/sources/")
        assert page.status_code == 200, code
        assert f"共{item.denominator}条" in page.text, code
        assert page.text.count("未达标") == item.denominator - item.numerator, code


def test_scoring_a_year_reads_each_metric_in_one_query_whatever_the_number_of_units(world, county,
                                                                                   django_assert_max_num_queries):
    system = _system(world.admin)
    scoring.score_system(world.admin, system.pk, today=TODAY)
    with django_assert_max_num_queries(40):
        scoring.score_system(world.admin, system.pk, today=TODAY)


def test_weights_that_do_not_add_up_to_the_total_are_refused_and_nothing_is_saved(world):
    bad = [{**i} for i in INDICATORS]
    bad[0]["weight"] = 25
    with pytest.raises(ValidationError) as error:
        _system(world.admin, bad)
    assert error.value.error_dict["indicators"][0].code == "weights_total"
    assert "95" in error.value.messages[0] and "100" in error.value.messages[0]
    assert not IndicatorSystem.objects.filter(year=YEAR).exists()


def test_a_manual_score_above_the_items_maximum_is_refused(world, county):
    system = _system(world.admin)
    scoring.score_system(world.admin, system.pk, today=TODAY)
    _result, items = _items(county, system)
    with pytest.raises(ValidationError) as error:
        scoring.set_item_score(world.admin, items["M1"].pk, score="10.5", note="培训记录")
    assert error.value.error_dict["score"][0].code == "score_range"
    assert ItemScore.objects.get(pk=items["M1"].pk).score is None
    scoring.set_item_score(world.admin, items["M1"].pk, score="8", note="培训记录12次")
    assert UnitResult.objects.get(pk=items["M1"].result_id).score == Decimal("49.88")


def test_a_township_officer_cannot_score_its_own_items(world, county):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    system = _system(world.admin)
    scoring.score_system(world.admin, system.pk, today=TODAY)
    _result, items = _items(county, system)
    with pytest.raises((PermissionDenied, Http404)):
        scoring.set_item_score(county.officer, items["M1"].pk, score="10")


def test_a_major_accident_vetoes_the_township_which_ranks_last(world, county):
    Accident.objects.create(code="SG-2021-1", kind="production", occurred_on=date(YEAR, 5, 5), place="某厂",
                            township=county.township, deaths=3, grade="larger")
    system = _system(world.admin)
    scoring.score_system(world.admin, system.pk, today=TODAY)
    result = UnitResult.objects.get(system=system, organisation=county.organisation)
    assert result.vetoed and "一票否决" in result.veto_reason and result.grade == "不合格"
    assert result.rank == UnitResult.objects.filter(system=system).count()


def test_result_is_submitted_approved_and_then_frozen_and_its_letter_is_a_pdf(world, county):
    system = _system(world.admin)
    scoring.score_system(world.admin, system.pk, today=TODAY)
    result, items = _items(county, system)
    result = RESULT_REVIEW.apply(world.admin, UnitResult, result.pk, "submit", expected_version=result.version)
    result = RESULT_REVIEW.apply(world.leader, UnitResult, result.pk, "approve", expected_version=result.version)
    assert result.status == "approved"
    with pytest.raises(ValidationError):
        scoring.set_item_score(world.admin, items["M1"].pk, score="5")
    from citysafe.assessment.services.letters import letter_pdf

    content, name = letter_pdf(county.officer, result.pk)
    assert content.startswith(b"%PDF") and county.organisation.name in name


def test_a_hazard_closed_half_an_hour_after_local_midnight_is_late_on_every_engine(world, county):
    """00:30 in Beijing is 16:30 UTC of the day before: the on-time rule counts local days."""
    from datetime import datetime, timedelta, timezone

    from citysafe.hazards.models import Hazard

    beijing = timezone(timedelta(hours=8))
    made = [Hazard.objects.create(category="fire", description="午夜前后销号", township=county.township,
                                  enterprise=world.enterprise_in_a, status="closed",
                                  rectification_deadline=date(YEAR, 6, 30), closed_at=closed,
                                  found_at=datetime(YEAR, 6, 1, 9, tzinfo=beijing))
            for closed in (datetime(YEAR, 6, 30, 23, 30, tzinfo=beijing), datetime(YEAR, 7, 1, 0, 30, tzinfo=beijing))]
    days = dict(Hazard.objects.filter(pk__in=[h.pk for h in made])
                .annotate(day=metrics.LocalDate("closed_at")).values_list("pk", "day"))
    assert [days[h.pk] for h in made] == [date(YEAR, 6, 30), date(YEAR, 7, 1)]
    on_time = metrics.DEFINITIONS[metrics.Metric.HAZARDS_CLOSED_ON_TIME]
    period = metrics.Period(date(YEAR, 6, 30), date(YEAR, 6, 30))
    assert list(on_time.rows(period).filter(on_time.met(period)).filter(pk__in=[h.pk for h in made])
                .values_list("pk", flat=True)) == [made[0].pk]


def test_the_whole_assessment_prints_as_a_pdf_of_the_units_the_reader_may_see(world, county):
    import io

    from pypdf import PdfReader

    from citysafe.assessment.services.reports import ranking_pdf
    from citysafe.core.audit_models import AuditRecord

    system = _system(world.admin)
    scoring.score_system(world.admin, system.pk, today=TODAY)
    content, name = ranking_pdf(world.admin, system.pk)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")
    assert name == "2021年度乡镇考核_考核结果.pdf"
    assert county.organisation.name in text and county.other_organisation.name in text
    assert "考核排名及分项得分" in text and "A1" in text
    own = "".join(p.extract_text() for p in PdfReader(io.BytesIO(ranking_pdf(county.officer, system.pk)[0])).pages
                  ).replace("\n", "")
    assert county.organisation.name in own and county.other_organisation.name not in own
    assert AuditRecord.objects.filter(action="export", object_type="assessment.IndicatorSystem",
                                      after__format="pdf").count() == 2
