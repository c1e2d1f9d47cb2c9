"""Default alarm rules per sensor type — standards are data: a county edits them (admin).
Levels: 1 highest. Sources named in `basis`; "(common practice)" where no single text rules."""
from django.db import migrations

RULES = [
    # name, kind, type, level1, level2, level3, hold, deadband, basis
    ("可燃气体浓度", "high", "gas", 50.0, 25.0, None, 0, 3.0,
     "GB/T 50493-2019 可燃气体一级报警≤25%LEL、二级报警≤50%LEL（二级报警对应本平台一级）"),
    ("储罐液位高限", "high", "liquid_level", 95.0, 90.0, None, 10, 2.0, "储罐高液位/高高液位报警（common practice）"),
    ("储罐液位低限", "low", "liquid_level", None, 10.0, None, 10, 2.0, "储罐低液位报警（common practice）"),
    ("温度高限", "high", "temperature", 60.0, 45.0, None, 30, 2.0, "储存场所温度（common practice）"),
    ("压力高限", "high", "pressure", 1.6, 1.4, None, 10, 0.05, "压力容器设计压力的比例（common practice）"),
    ("库岸水位", "high", "water_level", 18.0, 16.0, 15.0, 60, 0.2, "水库汛限/警戒/保证水位（按水库设定，common practice）"),
    ("水位上涨速率", "rate", "water_level", 0.1, 0.05, None, 120, 0.01, "水位快速上涨（米/分钟，common practice）"),
    ("人流量（占设计容量）", "crowd", "crowd", 1.0, 0.8, None, 60, 0.05,
     "人员密集场所瞬时客流：80%预警、100%报警（可编辑）"),
    ("粉尘浓度", "high", "dust", 10.0, 4.0, None, 60, 0.5, "GBZ 2.1 粉尘容许浓度的倍数（common practice）"),
    ("噪声", "high", "noise", 85.0, 70.0, None, 60, 2.0, "GB 3096 / 职业接触（common practice）"),
    ("辐射剂量率", "high", "radiation", 2.5, 1.0, None, 0, 0.1, "μSv/h（common practice）"),
    ("风速", "high", "wind", 17.2, 10.8, None, 60, 1.0, "8级/6级风，停止高处/吊装作业（common practice）"),
]


def seed(apps, schema_editor):
    AlarmRule = apps.get_model("monitoring", "AlarmRule")
    for name, kind, sensor_type, l1, l2, l3, hold, deadband, basis in RULES:
        AlarmRule.objects.get_or_create(name=name, sensor_type=sensor_type, kind=kind, sensor=None, defaults={
            "level1": l1, "level2": l2, "level3": l3, "hold_seconds": hold, "deadband": deadband, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_partition_readings")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
