"""Seed the list criteria and the default premium rule (editable data, C18).

Criteria: 应急管理部《安全生产严重失信主体名单管理办法》(2023), as the engineer knew it — the
text is not among ../shared/data/laws, so every article number and period here is marked 待核实
in the note; the statutory ground 安全生产法 第七十八条 (in data/laws) is cited where it applies.
Periods: publication 3 years, repair after 12 months, a 5-day period to state and defend after
the notice (all 待核实). Joint-punishment departments are left empty for the county to fill in
(organisation codes); the enterprise's supervising department is always told."""
from django.db import migrations

RULE = "《安全生产严重失信主体名单管理办法》"
CHECK = "条款序号、期限按记忆整理，待核实"

CRITERIA = [
    ("SX01", "发生特别重大、重大生产安全事故的生产经营单位及其主要负责人，以及经调查认定对事故发生负有责任的其他单位和人员"),
    ("SX02", "12个月内累计发生2起以上较大生产安全事故，或者发生性质恶劣、危害性严重、社会影响大的典型较大生产安全事故的生产经营单位及其主要负责人"),
    ("SX03", "瞒报、谎报生产安全事故的生产经营单位及其有关人员"),
    ("SX04", "未依法取得安全生产相关许可或者许可被暂扣、吊销期间从事相关生产经营活动的生产经营单位"),
    ("SX05", "存在重大事故隐患，被依法责令停产停业整顿后拒不执行或者逾期仍未整改的生产经营单位"),
    ("SX06", "拒不执行安全监管监察指令，或者以暴力、威胁等方式拒绝、阻碍监督检查的生产经营单位"),
    ("SX07", "承担安全评价、认证、检测、检验职责的机构租借资质、挂靠、出具虚假报告的（安全生产法第七十二条、第九十二条）"),
]


def seed(apps, schema_editor):
    Criterion = apps.get_model("credit", "Criterion")
    PremiumRule = apps.get_model("credit", "PremiumRule")
    for code, name in CRITERIA:
        Criterion.objects.get_or_create(code=code, defaults={
            "name": name, "basis": f"安全生产法第七十八条；{RULE}",
            "publication_years": 3, "objection_days": 5, "repair_after_months": 12,
            "note": f"{RULE}：{CHECK}"})
    PremiumRule.objects.get_or_create(code="FL-DEFAULT", defaults={
        "name": "安责险费率浮动规则（默认）",
        "note": "浮动幅度为本县可调的示例值：基准费率由行业决定，按风险等级、近年隐患和事故、是否列入严重失信名单上浮或下浮，"
                "合计在下限与上限之间（参照《安全生产责任保险实施办法》费率浮动的做法，具体比例待核实）"})


def unseed(apps, schema_editor):
    apps.get_model("credit", "Criterion").objects.filter(code__in=[c for c, _ in CRITERIA]).delete()
    apps.get_model("credit", "PremiumRule").objects.filter(code="FL-DEFAULT").delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
