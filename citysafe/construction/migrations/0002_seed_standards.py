"""Standards as data (DESIGN.md rule 6), editable in the admin site afterwards. Entered from
memory of 住建部令第37号 / 建办质〔2018〕31号 and GB 30871-2022: every row says 待核实 until
someone checks it against the published text. Also the construction-site checklist
(hazards.ChecklistTemplate) whose items cite articles of the laws in ../shared/data/laws."""
from django.db import migrations

CHECK = "待核实（凭记忆录入，须对照原文核对）"
RULE_31 = "建办质〔2018〕31号 附件二"
THRESHOLDS = [
    ("excavation", "开挖深度", "m", 5, RULE_31 + " 一、深基坑工程"),
    ("formwork", "搭设高度", "m", 8, RULE_31 + " 二、模板工程及支撑体系（另：跨度≥18m、总荷载≥15kN/㎡）"),
    ("lifting", "单件起吊重量", "kN", 100, RULE_31 + " 三、起重吊装及起重机械安装拆卸工程"),
    ("scaffolding", "搭设高度", "m", 50, RULE_31 + " 四、脚手架工程（悬挑式≥20m）"),
    ("demolition", "特殊建构筑物拆除（1=是）", "", 1, RULE_31 + " 五、拆除工程（码头、桥梁、高架、烟囱、水塔等）"),
    ("underground", "暗挖长度", "m", 0, RULE_31 + " 六、暗挖工程（矿山法、盾构法、顶管法）"),
    ("curtain_wall", "施工高度", "m", 50, RULE_31 + " 七、其它：建筑幕墙安装工程"),
]
GB_30871 = "GB 30871-2022《危险化学品企业特殊作业安全规范》"
PERMIT_RULES = [
    ("hot_work", 8, "hazardous", GB_30871 + " 动火作业（特级、一级动火8h；二级72h）"),
    ("confined_space", 24, "always", GB_30871 + " 受限空间作业"),
    ("height", 168, "never", GB_30871 + " 高处作业"),
    ("lifting", 24, "never", GB_30871 + " 吊装作业"),
    ("temp_power", 360, "never", GB_30871 + " 临时用电（一般不超过15d）"),
    ("blind_plate", 24, "never", GB_30871 + " 盲板抽堵作业"),
    ("excavation", 72, "never", GB_30871 + " 动土作业"),
    ("road_breaking", 72, "never", GB_30871 + " 断路作业"),
]
GAS_LIMITS = [
    ("confined_space", "oxygen_percent", 19.5, 23.5, GB_30871 + " 受限空间作业 氧含量"),
    ("confined_space", "combustible_percent_lel", None, 10, GB_30871 + " 受限空间作业 可燃气体"),
    ("confined_space", "toxic_ppm", None, 10, GB_30871 + " 受限空间作业 有毒气体（以硫化氢计，按GBZ 2.1）"),
    ("hot_work", "oxygen_percent", 19.5, 23.5, GB_30871 + " 动火作业 氧含量"),
    ("hot_work", "combustible_percent_lel", None, 10, GB_30871 + " 动火作业 可燃气体"),
]
REGULATION = "建设工程安全生产管理条例"
CHECKLIST = ("建筑施工现场安全检查表（危大工程与危险作业）", "construction_site", [
    ("施工单位设立安全生产管理机构，配备专职安全生产管理人员并在岗", f"{REGULATION} 第二十三条", "construction"),
    ("达到一定规模的危险性较大的分部分项工程编制专项施工方案，附安全验算结果，按规定签字并由专职安全员现场监督",
     f"{REGULATION} 第二十六条", "construction"),
    ("深基坑、地下暗挖、高大模板工程的专项施工方案经专家论证、审查", f"{REGULATION} 第二十六条", "construction"),
    ("施工前对作业班组、作业人员进行安全技术交底并双方签字确认", f"{REGULATION} 第二十七条", "construction"),
    ("施工现场入口、起重机械、临时用电设施、脚手架、基坑边沿等危险部位设置明显的安全警示标志", f"{REGULATION} 第二十八条",
     "construction"),
    ("办公、生活区与作业区分开设置，未在尚未竣工的建筑物内设置员工集体宿舍", f"{REGULATION} 第二十九条", "construction"),
    ("安全防护用具、机械设备、施工机具进场查验，专人管理并定期检查维修", f"{REGULATION} 第三十四条", "special_equipment"),
    ("起重机械和整体提升脚手架、模板等自升式架设设施使用前经验收合格", f"{REGULATION} 第三十五条", "special_equipment"),
    ("动火、吊装、临时用电等危险作业安排专门人员进行现场安全管理（作业票在有效期内）", "安全生产法 第四十三条", "construction"),
])


def seed(apps, schema_editor):
    ScaleThreshold = apps.get_model("construction", "ScaleThreshold")
    PermitRule = apps.get_model("construction", "PermitRule")
    GasLimit = apps.get_model("construction", "GasLimit")
    ChecklistTemplate = apps.get_model("hazards", "ChecklistTemplate")
    for category, measure, unit, value, basis in THRESHOLDS:
        ScaleThreshold.objects.get_or_create(category=category, defaults={
            "measure": measure, "unit": unit, "value": value, "basis": basis, "note": CHECK})
    for kind, hours, gas_test, basis in PERMIT_RULES:
        PermitRule.objects.get_or_create(kind=kind, defaults={
            "max_hours": hours, "gas_test": gas_test, "basis": basis, "note": CHECK})
    for kind, measurement, minimum, maximum, basis in GAS_LIMITS:
        GasLimit.objects.get_or_create(kind=kind, measurement=measurement, defaults={
            "minimum": minimum, "maximum": maximum, "basis": basis, "note": CHECK})
    name, place_type, items = CHECKLIST
    ChecklistTemplate.objects.get_or_create(name=name, defaults={
        "place_type": place_type, "items": [{"text": t, "basis": b, "category": c} for t, b, c in items]})


class Migration(migrations.Migration):
    dependencies = [("construction", "0001_initial"), ("hazards", "0004_seed_checklists")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
