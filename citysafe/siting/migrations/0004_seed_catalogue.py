"""Seed the restricted / obsolete industry catalogue with a few clearly-sourced entries relevant
to a county. Rows whose exact clause number was not checked against the published text say
"待核实" (to verify) in their note. Industry is left empty (industries are county data loaded
after migrations): the keywords match. Idempotent by name (tests reseed it after a flush)."""
from django.db import migrations

CATALOGUE_2024 = "《产业结构调整指导目录（2024年本）》（国家发展改革委令第7号）"
CITY_SAFETY = "《关于推进城市安全发展的意见》（中办发〔2018〕1号）"
DUST = "《工贸企业粉尘防爆安全规定》（应急管理部令第6号）"
TO_VERIFY = "条目编号待核实（to verify）"

# (category, item kind, name, keywords, source, clause, action, deadline days, note)
ITEMS = [
    ("restricted", "process", "城市人口密集区危险化学品生产、储存企业", "化工,危险化学品,危化品", CITY_SAFETY, "二（六）",
     "relocate", 730, "不符合安全距离要求的就地改造达标、搬迁或依法关闭；须核实是否位于人口密集区"),
    ("obsolete", "process", "土法炼焦（含改良焦炉）", "土法炼焦,土焦", CATALOGUE_2024, "淘汰类 一、落后生产工艺装备（焦化）",
     "close", 180, TO_VERIFY),
    ("obsolete", "equipment", "砖瓦24门以下轮窑以及立窑、无顶轮窑、马蹄窑等土窑", "轮窑,土窑,马蹄窑,粘土砖",
     CATALOGUE_2024, "淘汰类 一、落后生产工艺装备（建材）", "close", 365, TO_VERIFY),
    ("obsolete", "equipment", "严重危及生产安全的工艺、设备（应急管理部公布的淘汰目录）", "淘汰设备",
     "《中华人民共和国安全生产法》", "第三十八条", "upgrade", 180, "具体目录以应急管理部及省级公布的为准"),
    ("restricted", "process", "粉尘涉爆的面粉、淀粉加工（未达到粉尘防爆要求的）", "面粉,淀粉", DUST, "第二章",
     "upgrade", 365, "非产业结构调整目录条目：按粉尘防爆要求改造；条款待核实（to verify）"),
]


def seed(apps, schema_editor):
    Item = apps.get_model("siting", "RestrictedIndustryItem")
    for category, item_kind, name, keywords, source, clause, action, days, note in ITEMS:
        if not Item.objects.filter(name=name).exists():
            Item.objects.create(category=category, item_kind=item_kind, name=name, keywords=keywords,
                                source_document=source, clause=clause, action=action, default_deadline_days=days,
                                note=note)


class Migration(migrations.Migration):
    dependencies = [("siting", "0003_restricted_industry_catalogue")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
