"""Demo of the prefecture's assessment of its counties (after `load_second_county`): the second
county's self-assessment, and this year's county assessment by pref_admin, scored from the
platform's data, with the manual item scored and the results published (idempotent)."""
from django.utils import timezone

from citysafe.accounts.models import User
from citysafe.assessment.models import CountyItemScore, CountyResult, IndicatorSystem, UnitKind
from citysafe.assessment.services import city, counties, systems
from citysafe.assessment.workflows import COUNTY_REVIEW
from citysafe.core import scope

COUNTY_ITEMS = [
    {"code": "X1", "name": "隐患按期整改销号率", "weight": 30, "metric": "hazards_closed_on_time"},
    {"code": "X2", "name": "风险点按期复评率", "weight": 20, "metric": "risk_points_reassessed"},
    {"code": "X3", "name": "检查计划完成率", "weight": 15, "metric": "inspections_done"},
    {"code": "X4", "name": "报警按时确认率", "weight": 10, "metric": "alarms_ack_in_time"},
    {"code": "X5", "name": "应急演练计划完成率", "weight": 10, "metric": "drills_held"},
    {"code": "X6", "name": "安全生产责任制落实（州安委办检查）", "weight": 15},
]


def build_prefecture_assessment_demo() -> dict:
    prefecture = User.objects.select_related("organisation__area").get(username="pref_admin")
    year = timezone.localdate().year
    for username in ("admin", "gh_admin"):
        officer = User.objects.filter(username=username).select_related("organisation__area").first()
        if officer is not None:
            city.run_self_assessment(officer, year)
    system = scope.narrow(prefecture, IndicatorSystem.objects.filter(year=year, unit_kind=UnitKind.COUNTY),
                          for_write=True).first()
    system = system or systems.create_indicator_system(
        prefecture, year=year, unit_kind=UnitKind.COUNTY, indicators=COUNTY_ITEMS,
        title=f"{year}年度县（市）城市安全发展目标责任考核")
    scored = counties.score_counties(prefecture, system.pk)
    for n, item in enumerate(CountyItemScore.objects.filter(result__system=system, indicator__metric="",
                                                            result__status=CountyResult.Status.DRAFT)
                             .order_by("result__county__code")):
        counties.set_county_item(prefecture, item.pk, score=13 - 2 * n, note="州安委办现场检查（演示）")
    for result in CountyResult.objects.filter(system=system, status=CountyResult.Status.DRAFT):
        result = COUNTY_REVIEW.apply(prefecture, CountyResult, result.pk, "submit", expected_version=result.version)
        COUNTY_REVIEW.apply(prefecture, CountyResult, result.pk, "publish", expected_version=result.version)
    return {"county system": system.pk, "counties": scored}
