"""The seed policy's own targets (东乡县推进城市安全发展的实施意见, after 州委办发〔2019〕154号), each with
the clause it comes from and the clause's words, and the demonstration-city checklist
(国家安全发展示范城市评价, 100 points by deduction; the category totals of 源头治理 18 and 风险防控
32 as STANDARDS.md gives them, the other three and the items as common practice — editable data).
Idempotent (update_or_create by code), so tests can re-run `seed` after a flush."""
from datetime import date

from django.db import migrations

POLICY = "东乡县推进城市安全发展的实施意见"
START = date(2020, 1, 1)

TARGETS = [
    ("ZC-2-5-1", "信号灯标准化安装使用率", "二（五）", "2020年底前，信号灯标准化安装使用率达到90%以上",
     "信号灯标准化安装使用率", "%", "at_least", 90, date(2020, 12, 31), "", "县公安局交警大队"),
    ("ZC-2-5-2", "标志标线规范设置率", "二（五）", "标志标线规范设置率达到95%以上",
     "道路交通标志标线规范设置率", "%", "at_least", 95, date(2020, 12, 31), "", "县公安局交警大队"),
    ("ZC-2-7-1", "县、乡镇四色安全风险空间分布电子图", "二（七）",
     "2021年12月底前，绘制完成县、乡镇“红、橙、黄、蓝”四色等级安全风险空间分布电子图",
     "已绘制四色风险分布图的乡镇比例", "%", "at_least", 100, date(2021, 12, 31), "", "县应急管理局"),
    ("ZC-2-8-6", "易涝点整治达标", "二（八）六", "2025年易涝点整治全部达到国家标准要求",
     "易涝点整治达标率", "%", "at_least", 100, date(2025, 12, 31), "", "县住房和城乡建设局"),
    ("ZC-2-18-1", "安全文化主题社区、主题公园", "二（十八）",
     "到2024年6月底，建成一批安全文化主题社区、主题公园，安全文化教育体验基地和安全体验馆建设取得进展",
     "建成安全文化主题社区、主题公园（个）", "个", "at_least", 2, date(2024, 6, 30), "", "县应急管理局"),
    ("ZC-2-18-2", "中小学安全知识教育课时", "二（十八）", "每学期安全知识教育不少于4个课时",
     "每学期安全知识教育课时（最少的学校）", "课时", "at_least", 4, date(2025, 12, 31), "每学期", "县教育局"),
    ("ZC-1-3-1", "县级安全发展示范城创建", "一（三）", "到2025年年底，建成县级安全发展示范城创建工作",
     "示范城市创建工作完成度", "%", "at_least", 100, date(2025, 12, 31), "", "县安委会办公室"),
]

# (code, category, content, points, deduction rule, platform metric, lead unit)
CITY_ITEMS = [
    ("YT-1", "source", "城市安全发展纳入总体规划和专项规划，编制城市安全风险评估报告", 6, "未纳入规划扣3分；未开展评估扣3分", "", "县发展和改革局"),
    ("YT-2", "source", "淘汰、搬迁安全条件落后的企业，人口密集区危险化学品企业完成搬迁改造", 6, "每有1家应搬未搬扣1分，扣完为止", "", "县工业和信息化局"),
    ("YT-3", "source", "城市基础设施（燃气、供排水、桥梁、易涝点）安全隐患排查治理", 6, "易涝点未整治每处扣1分", "", "县住房和城乡建设局"),
    ("FK-1", "risk", "开展城市安全风险辨识评估，绘制四色风险分布图，风险点按期复评", 10, "按风险点按期复评率计分", "risk_points_reassessed", "县应急管理局"),
    ("FK-2", "risk", "隐患排查治理闭环管理，重大隐患挂牌督办，按期整改销号", 12, "按隐患按期整改销号率计分", "hazards_closed_on_time", "县应急管理局"),
    ("FK-3", "risk", "重点场所和设施在线监测，报警及时确认处置", 10, "按报警按时确认率计分", "alarms_ack_in_time", "县应急管理局"),
    ("JD-1", "supervision", "落实监督检查计划，检查任务按期完成", 10, "按检查计划完成率计分", "inspections_done", "县应急管理局"),
    ("JD-2", "supervision", "安全生产执法规范化，执法全过程记录，执法信息公开", 10, "每发现1项未落实扣2分", "", "县应急管理局"),
    ("BZ-1", "support", "应急预案体系健全，按计划组织应急演练", 8, "按演练计划完成率计分", "drills_held", "县应急管理局"),
    ("BZ-2", "support", "预警信息发布到户到人，责任人及时确认", 7, "按预警责任人确认率计分", "warnings_acknowledged", "县气象局"),
    ("ZK-1", "status", "亿元GDP生产安全事故死亡率、道路交通事故万车死亡率、火灾十万人口死亡率低于全省平均", 10, "每项高于全省平均扣3分", "", "县应急管理局"),
    ("ZK-2", "status", "考核期内未发生较大及以上生产安全事故", 5, "发生较大事故扣5分", "", "县应急管理局"),
]


def seed(apps, schema_editor):
    PolicyTarget = apps.get_model("assessment", "PolicyTarget")
    CityItem = apps.get_model("assessment", "CityItem")
    for code, title, clause, text, indicator, unit, direction, value, deadline, recurring, responsible in TARGETS:
        PolicyTarget.objects.update_or_create(code=code, defaults={
            "title": title, "source": "policy", "clause": f"{POLICY} {clause}", "clause_text": text,
            "indicator": indicator, "unit": unit, "direction": direction, "target_value": value, "start_on": START,
            "deadline": deadline, "recurring": recurring, "responsible_unit": responsible, "measure": "reported"})
    for code, category, content, points, rule, metric, lead in CITY_ITEMS:
        CityItem.objects.update_or_create(code=code, defaults={
            "category": category, "content": content, "points": points, "deduction_rule": rule, "metric": metric,
            "responsible_unit": lead})


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
