"""Checklist templates with realistic items, each citing its legal basis as an article of a law
shipped in ../shared/data/laws (the knowledge app links the citation). Editable afterwards."""
from django.db import migrations

FIRE = [
    ("疏散通道、安全出口、消防车通道畅通，未占用、堵塞、封闭", "消防法 第二十八条", "fire"),
    ("消火栓未被埋压、圈占、遮挡", "消防法 第二十八条", "fire"),
    ("按标准配置消防设施、器材并定期检验维修，灭火器在有效期内", "消防法 第十六条", "fire"),
    ("建筑消防设施每年至少全面检测一次，检测记录完整", "消防法 第十六条", "fire"),
    ("人员密集场所门窗未设置影响逃生和灭火救援的障碍物", "消防法 第二十八条", "fire"),
]
WORK = [
    ("从业人员经安全生产教育和培训合格后上岗", "安全生产法 第二十八条", "other"),
    ("安全设备经常性维护、保养并定期检测，记录齐全", "安全生产法 第三十六条", "other"),
    ("生产经营场所和员工宿舍设有符合紧急疏散要求、标志明显、保持畅通的出口", "安全生产法 第四十二条", "fire"),
]
GAS = [("燃气用户未擅自操作公用燃气阀门、改装燃气设施或在不具备安全条件的场所使用燃气", "城镇燃气管理条例 第二十八条", "gas")]
CHEM = [
    ("危险化学品储存在专用仓库、专用场地或专用储存室，专人管理", "危险化学品安全管理条例 第二十四条", "chemicals"),
    ("作业场所设置监测、监控、通风、防火、防爆、防泄漏等安全设施并经常维护", "危险化学品安全管理条例 第二十条", "chemicals"),
]
LIFT = [("特种设备在检验合格有效期届满前一个月提出定期检验要求，检验合格标志在有效期内", "特种设备安全法 第四十条",
         "special_equipment")]
SITE = [
    ("危险性较大的分部分项工程编制专项施工方案并经审批，专职安全员现场监督", "建设工程安全生产管理条例 第二十六条", "construction"),
    ("施工现场入口、临时用电设施、脚手架、基坑边沿等危险部位设置明显的安全警示标志", "建设工程安全生产管理条例 第二十八条",
     "construction"),
]

TEMPLATES = [
    ("人员密集场所消防安全检查表", "commercial_complex", FIRE + WORK[2:]),
    ("集贸市场消防安全检查表", "market", FIRE),
    ("宾馆饭店安全检查表", "hotel", FIRE + GAS),
    ("学校安全检查表", "school", FIRE + LIFT),
    ("医院安全检查表", "hospital", FIRE + LIFT),
    ("九小场所安全检查表", "nine_small", FIRE[:3] + GAS),
    ("加油加气站安全检查表", "gas_station", CHEM + FIRE[2:4] + WORK[:2]),
    ("危险化学品场所安全检查表", "hazchem_site", CHEM + WORK + FIRE[2:3]),
    ("建筑施工工地安全检查表", "construction_site", SITE + WORK[:2] + FIRE[2:3]),
    ("电梯安全检查表", "elevator", LIFT),
    ("燃气设施安全检查表", "gas_works", GAS + WORK[1:2]),
    ("通用安全检查表", "", FIRE[:3] + WORK),
]


def seed(apps, schema_editor):
    ChecklistTemplate = apps.get_model("hazards", "ChecklistTemplate")
    for name, place_type, items in TEMPLATES:
        ChecklistTemplate.objects.get_or_create(name=name, defaults={
            "place_type": place_type,
            "items": [{"text": text, "basis": basis, "category": category} for text, basis, category in items]})


class Migration(migrations.Migration):
    dependencies = [("hazards", "0003_inspections")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
