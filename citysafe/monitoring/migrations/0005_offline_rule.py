from django.db import migrations


def seed(apps, schema_editor):
    AlarmRule = apps.get_model("monitoring", "AlarmRule")
    AlarmRule.objects.get_or_create(name="设备离线（无数据）", kind="offline", sensor_type="", sensor=None, defaults={
        "level1": None, "level2": 3600.0, "level3": 600.0, "basis": "超过10分钟/1小时无数据（秒，common practice）"})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_sites_at_risk_points")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
