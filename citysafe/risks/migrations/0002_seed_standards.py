"""Seed the editable standards tables from ../shared/STANDARDS.md (values frozen here, as a
migration must be; the county edits the rows afterwards, audited)."""
from django.db import migrations

LEC_SOURCE = "作业条件危险性评价法（LEC），STANDARDS.md；分级为双重预防体系通行做法"
LS_SOURCE = "风险矩阵法（LS）通行做法，STANDARDS.md（各省阈值不同，可调整）"
MES_SOURCE = "MES评价法通行做法，STANDARDS.md"

SCALES = {
    ("lec", "l"): [(10, "完全可以预料"), (6, "相当可能"), (3, "可能，但不经常"), (1, "完全意外，极少可能"),
                   (0.5, "可以设想，但高度不可能"), (0.2, "极不可能"), (0.1, "实际上不可能")],
    ("lec", "e"): [(10, "连续暴露"), (6, "每天工作时间内暴露"), (3, "每周一次或偶然暴露"), (2, "每月一次暴露"),
                   (1, "每年几次暴露"), (0.5, "非常罕见地暴露")],
    ("lec", "c"): [(100, "大灾难，许多人死亡"), (40, "灾难，数人死亡"), (15, "非常严重，1人死亡"), (7, "严重，重伤"),
                   (3, "重大，致残"), (1, "引人注目，需救护")],
    ("ls", "l"): [(5, "极有可能"), (4, "很可能"), (3, "可能"), (2, "较不可能"), (1, "基本不可能")],
    ("ls", "s"): [(5, "特别严重（多人死亡）"), (4, "严重（1人死亡）"), (3, "较严重（重伤）"), (2, "一般（轻伤）"),
                  (1, "轻微（无伤亡）")],
    ("mes", "m"): [(5, "无控制措施"), (3, "仅有减轻后果的应急措施"), (1, "有效的预防措施")],
    ("mes", "e"): [(10, "连续暴露"), (6, "每天工作时间内暴露"), (3, "每周一次或偶然暴露"), (2, "每月一次暴露"),
                   (1, "每年几次暴露"), (0.5, "非常罕见地暴露")],
    ("mes", "s"): [(10, "数人死亡"), (8, "1人死亡"), (4, "永久失能"), (2, "需医院治疗"), (1, "轻微，仅需急救")],
}
SOURCES = {"lec": LEC_SOURCE, "ls": LS_SOURCE, "mes": MES_SOURCE}
THRESHOLDS = {"lec": [(320, 1), (160, 2), (70, 3), (0, 4)], "ls": [(20, 1), (15, 2), (9, 3), (0, 4)],
              "mes": [(180, 1), (90, 2), (50, 3), (0, 4)]}
LEVEL_RULES = [(1, "county", 12), (2, "department", 24), (3, "township", 36), (4, "enterprise", 60)]
LEVEL_SOURCE = "分级管控通行做法：风险越高管控层级越高；复评至少每5年一次（实施意见二(七)）"
REVIEW_SOURCE = "重大、较大风险一律审核；部门、乡镇、县安委办自评的一般、低风险可直接生效"


def seed(apps, schema_editor):
    MethodScale = apps.get_model("risks", "MethodScale")
    MethodThreshold = apps.get_model("risks", "MethodThreshold")
    ReviewRule = apps.get_model("risks", "ReviewRule")
    LevelRule = apps.get_model("risks", "LevelRule")
    MajorHazardLevelRule = apps.get_model("risks", "MajorHazardLevelRule")
    MethodScale.objects.bulk_create([
        MethodScale(method=method, factor=factor, value=value, label=label, source=SOURCES[method])
        for (method, factor), rows in SCALES.items() for value, label in rows])
    MethodThreshold.objects.bulk_create([
        MethodThreshold(method=method, level=level, lower_bound=bound, source=SOURCES[method])
        for method, rows in THRESHOLDS.items() for bound, level in rows])
    ReviewRule.objects.bulk_create([
        ReviewRule(role=role, level=level, source=REVIEW_SOURCE,
                   takes_effect_directly=role in ("admin", "department", "township") and level in (3, 4))
        for role in ("admin", "department", "township", "enterprise") for level in (1, 2, 3, 4)])
    LevelRule.objects.bulk_create([LevelRule(level=level, control_level=control, reassess_months=months,
                                             source=LEVEL_SOURCE) for level, control, months in LEVEL_RULES])
    MajorHazardLevelRule.objects.bulk_create([
        MajorHazardLevelRule(grade=grade, minimum_level=2, source="重大危险源至少为较大风险（默认规则，可调整）")
        for grade in (1, 2, 3, 4)])


def unseed(apps, schema_editor):
    for name in ("MethodScale", "MethodThreshold", "ReviewRule", "LevelRule", "MajorHazardLevelRule"):
        apps.get_model("risks", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
