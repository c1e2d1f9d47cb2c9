"""Demo data of the assessment app (after load_demo and the other apps' demos): accidents over
five years in every township, base figures, the seed targets given their responsible units and
some progress, a county-defined target, this year's indicator systems scored from the platform,
and a demonstration-city self-assessment. Deterministic and idempotent."""
import random
from datetime import date, timedelta

from django.utils import timezone

from citysafe.core import scope

DEPARTMENT_OF_TARGET = {"ZC-2-5-1": "jtj", "ZC-2-5-2": "jtj", "ZC-2-7-1": "yjj", "ZC-2-8-6": "zjj",
                        "ZC-2-18-1": "yjj", "ZC-2-18-2": "jyj", "ZC-1-3-1": "yjj"}
TOWNSHIP_ITEMS = [
    {"code": "A1", "name": "隐患按期整改销号率", "weight": 20, "metric": "hazards_closed_on_time", "full_at": "0.95"},
    {"code": "A2", "name": "风险点按期复评率", "weight": 15, "metric": "risk_points_reassessed"},
    {"code": "A3", "name": "检查计划完成率", "weight": 15, "metric": "inspections_done"},
    {"code": "A4", "name": "报警按时确认率", "weight": 10, "metric": "alarms_ack_in_time"},
    {"code": "A5", "name": "预警责任人确认率", "weight": 10, "metric": "warnings_acknowledged"},
    {"code": "A6", "name": "应急演练计划完成率", "weight": 10, "metric": "drills_held"},
    {"code": "B1", "name": "安全生产培训记录", "weight": 10, "rule": "每季度不少于1次，缺1次扣2.5分"},
    {"code": "B2", "name": "安全文化宣传进社区", "weight": 10, "category": "result", "rule": "按活动记录评分"},
]
DEPARTMENT_ITEMS = [
    {"code": "A1", "name": "行业隐患按期整改销号率", "weight": 40, "metric": "hazards_closed_on_time"},
    {"code": "A2", "name": "行业风险点按期复评率", "weight": 30, "metric": "risk_points_reassessed"},
    {"code": "B1", "name": "行业监管执法检查", "weight": 30, "rule": "按执法记录评分"},
]
KIND_TYPES = {"production": ["物体打击", "机械伤害", "高处坠落", "触电", "中毒和窒息"], "road": ["碰撞", "碾压", "翻车"],
              "fire": ["电气火灾", "用火不慎", "燃气泄漏"]}


def seed_accidents(admin, per_year: int = 12, years: int = 5) -> int:
    """Accidents in every township over the last `years` years (a few with deaths), through the
    kind's service; returns how many exist."""
    from citysafe.assessment.kinds import ACCIDENTS
    from citysafe.assessment.models import Accident
    from citysafe.registry.models import Area, Industry

    townships = list(Area.objects.filter(level="township").order_by("code"))
    industries = list(Industry.objects.order_by("code").values_list("pk", flat=True))
    rng, this_year = random.Random(17), timezone.localdate().year  # noqa: S311 (deterministic demo data)
    for year in range(this_year - years + 1, this_year + 1):
        for n in range(per_year):
            code = f"SG{year}{n + 1:03d}"
            if Accident.objects.filter(code=code).exists():
                continue
            kind = ("production", "road", "road", "fire")[n % 4]
            deaths = rng.choice([0, 0, 0, 1, 1, 2]) + (3 if n == 0 and year == this_year - 1 else 0)
            township = townships[(n * 7 + year) % len(townships)]
            ACCIDENTS.create(admin, {
                "code": code, "kind": kind, "occurred_on": date(year, 1 + n % 12, 1 + rng.randrange(27)),
                "place": f"{township.name}{rng.choice(['工业园区', '国道', '集镇', '村道', '商铺'])}",
                "township_id": township.pk, "industry_id": industries[n % len(industries)] if kind == "production" else None,
                "accident_type": rng.choice(KIND_TYPES[kind]), "deaths": deaths, "injuries": rng.randrange(4),
                "direct_loss": round(rng.uniform(0.5, 80), 2), "grade": "larger" if deaths >= 3 else "general",
                "investigation": "closed" if year < this_year else "open"})
    return Accident.objects.count()


def build_assessment_demo(admin) -> dict:
    from citysafe.accounts.models import Organisation
    from citysafe.assessment.models import IndicatorSystem, PolicyTarget
    from citysafe.assessment.services import city, figures, scoring, systems, targets

    counts = {"accidents": seed_accidents(admin)}
    this_year = timezone.localdate().year
    for n, year in enumerate(range(this_year - 4, this_year + 1)):
        figures.save_base_figure(admin, year=year, gdp_yi=52 + 4 * n, vehicles_wan=f"{6.1 + 0.5 * n:.1f}",
                                 population=318_000 + 1_500 * n)
    orgs = {o.code: o for o in Organisation.objects.filter(kind="department")}
    for code, dept in DEPARTMENT_OF_TARGET.items():
        PolicyTarget.objects.filter(code=code, responsible_org__isnull=True).update(responsible_org=orgs.get(dept))
    if not PolicyTarget.objects.filter(code="XJ-2026-1").exists():
        township_org = Organisation.objects.filter(kind="township").order_by("code").first()
        targets.create_target(admin, {
            "code": "XJ-2026-1", "title": "乡镇安全生产培训覆盖率", "indicator": "接受培训的生产经营单位比例",
            "unit": "%", "target_value": 95, "start_on": date(this_year, 1, 1), "deadline": date(this_year, 12, 31),
            "responsible_unit": township_org.name}, responsible_org_id=township_org.pk)
    for code, value, days in (("ZC-2-5-1", 92, 1500), ("ZC-2-5-2", 88, 1500), ("ZC-2-8-6", 70, 60)):
        target = PolicyTarget.objects.get(code=code)
        if not target.reports.exists():
            targets.report_progress(admin, target.pk, value=value, note="演示进展",
                                    reported_on=timezone.localdate() - timedelta(days=days))
    for kind, items in (("township", TOWNSHIP_ITEMS), ("department", DEPARTMENT_ITEMS)):
        system = scope.narrow(admin, IndicatorSystem.objects.filter(year=this_year, unit_kind=kind)).first()
        system = system or systems.create_indicator_system(
            admin, year=this_year, unit_kind=kind, indicators=items,
            title=f"{this_year}年度{'乡镇' if kind == 'township' else '县直部门'}城市安全发展目标责任考核")
        counts[f"{kind} units"] = scoring.score_system(admin, system.pk)
    for year in (this_year - 1, this_year):
        city.run_self_assessment(admin, year)
    counts["targets"] = PolicyTarget.objects.count()
    return counts
