"""Default reward rules (editable by the county office): amounts are common practice in county
举报奖励办法 under 安全生产领域举报奖励办法 (应急〔2018〕19号), which sets the floor for major hazards."""
from decimal import Decimal

from django.db import migrations

RULES = [("general", Decimal("200.00"), "一般隐患经核实：200元（县级常见做法）"),
         ("major", Decimal("3000.00"), "重大隐患经核实：不低于3000元（安全生产领域举报奖励办法 第十二条）")]


def seed(apps, schema_editor):
    RewardRule = apps.get_model("hazards", "RewardRule")
    for grade, amount, basis in RULES:
        RewardRule.objects.get_or_create(grade=grade, defaults={"amount": amount, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
