"""The seeded major-hazard reward rule cited 安全生产领域举报奖励办法 第十二条, a document the
platform does not ship and whose article could not be checked; it now cites 安全生产法 第七十六条
(rewards for reporting major hazards), which the knowledge app resolves. Edited rules are kept."""
from django.db import migrations

OLD = "重大隐患经核实：不低于3000元（安全生产领域举报奖励办法 第十二条）"
NEW = "重大隐患经核实：3000元（县级常见做法；依据安全生产法 第七十六条）"


def forwards(apps, schema_editor):
    apps.get_model("hazards", "RewardRule").objects.filter(basis=OLD).update(basis=NEW)


def backwards(apps, schema_editor):
    apps.get_model("hazards", "RewardRule").objects.filter(basis=NEW).update(basis=OLD)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0005_hazard_alarm")]
    operations = [migrations.RunPython(forwards, backwards)]
