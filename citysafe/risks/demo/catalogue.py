"""What the demo's risk points look like per kind of place or enterprise: name, category,
hazard factors, GB 6441 accident types, measures, and the LEC inputs it is assessed with
(several profiles per kind, picked deterministically, so every colour appears)."""

# LEC inputs → D: (6,6,15)=540 重大; (3,6,15)=270 较大; (3,6,7)=126 一般; (1,6,7)=42 低; (6,3,15)=270 较大;
# (3,3,15)=135 一般; (1,3,7)=21 低; (10,6,7)=420 重大; (3,6,40)=720 重大; (1,6,15)=90 一般.
PLACE_KINDS = {
    "gas_station": {
        "every": 2, "suffix": "油罐区及加油作业区", "category": "facility",
        "factors": ["汽油、柴油泄漏", "油气积聚遇点火源", "静电放电", "卸油作业违章"],
        "accidents": ["fire", "other_explosion", "vehicle", "poisoning"],
        "inputs": [(3, 6, 15), (3, 6, 7), (1, 6, 15), (3, 6, 7), (1, 6, 7), (3, 3, 15)],
        "measures": [("engineering", "设置油气回收系统和可燃气体检测报警装置"),
                     ("management", "卸油作业执行“三查三确认”，双人监护"),
                     ("emergency", "配备灭火毯、推车式灭火器，每半年开展一次火灾应急演练")],
    },
    "hazchem_site": {
        "every": 1, "suffix": "危险化学品储存区", "category": "site",
        "factors": ["易燃易爆化学品泄漏", "禁忌物料混存", "通风不良", "防雷防静电失效"],
        "accidents": ["fire", "other_explosion", "poisoning", "vessel_explosion"],
        "inputs": [(3, 6, 15), (6, 6, 15), (3, 6, 7), (3, 6, 15), (1, 6, 15)],
        "measures": [("engineering", "设置视频监控、温湿度监测和有毒有害气体检测报警"),
                     ("management", "危险化学品分区分类储存，建立出入库台账"),
                     ("ppe", "作业人员配备防毒面具、防护服"),
                     ("emergency", "编制泄漏、火灾现场处置方案并配备应急物资")],
    },
    "gas_works": {
        "every": 2, "suffix": "燃气储配设施", "category": "facility",
        "factors": ["燃气泄漏", "调压设备超压", "第三方施工破坏"],
        "accidents": ["fire", "other_explosion", "poisoning"],
        "inputs": [(3, 6, 15), (3, 6, 7), (1, 6, 15), (3, 6, 7)],
        "measures": [("engineering", "安装燃气泄漏报警与紧急切断装置"),
                     ("management", "每日巡检调压设备，记录进出口压力")],
    },
    "commercial_complex": {
        "every": 2, "suffix": "人员密集区域", "category": "site",
        "factors": ["人员密集", "疏散通道堵塞", "电气线路老化", "装修材料可燃"],
        "accidents": ["fire", "other_injury", "electrocution"],
        "inputs": [(3, 6, 7), (1, 6, 15), (3, 6, 15), (1, 6, 7)],
        "measures": [("management", "每日防火巡查，保持疏散通道、安全出口畅通"),
                     ("training", "每年组织全员消防安全培训和疏散演练")],
    },
    "market": {
        "every": 4, "suffix": "集贸市场人员聚集区", "category": "site",
        "factors": ["人员聚集拥挤踩踏", "临时用电不规范", "液化气钢瓶使用"],
        "accidents": ["fire", "other_injury", "electrocution"],
        "inputs": [(3, 6, 7), (1, 6, 15), (3, 6, 15), (1, 6, 7)],
        "measures": [("management", "高峰时段安排专人疏导人流"), ("engineering", "规范设置临时用电配电箱和漏电保护")],
    },
    "school": {
        "every": 8, "suffix": "校园人员密集场所", "category": "site",
        "factors": ["学生集中上下楼拥挤", "食堂燃气使用", "校车接送"],
        "accidents": ["other_injury", "fire", "vehicle", "poisoning"],
        "inputs": [(1, 6, 15), (3, 6, 7), (1, 6, 7)],
        "measures": [("management", "上下学时段教师楼道值守"), ("training", "每学期开展应急疏散演练")],
    },
    "hospital": {
        "every": 6, "suffix": "医疗用氧及人员密集区", "category": "site",
        "factors": ["医用氧气瓶储存", "病患行动不便疏散困难"],
        "accidents": ["fire", "vessel_explosion", "other_injury"],
        "inputs": [(3, 6, 7), (1, 6, 15), (3, 6, 15)],
        "measures": [("engineering", "氧气瓶独立存放并设置防倾倒装置"), ("emergency", "制定夜间火灾疏散预案")],
    },
    "station": {
        "every": 4, "suffix": "客运站候车区", "category": "site",
        "factors": ["旅客聚集", "营运车辆进出站", "危险品夹带"],
        "accidents": ["vehicle", "other_injury", "fire"],
        "inputs": [(3, 6, 7), (1, 6, 15), (3, 3, 15)],
        "measures": [("management", "落实“三品”检查和出站检查"), ("engineering", "进出站口设置人车分离设施")],
    },
    "bridge": {
        "every": 5, "suffix": "桥梁结构及通行安全", "category": "facility",
        "factors": ["桥梁结构老化", "超限超载车辆通行", "汛期冲刷"],
        "accidents": ["collapse", "vehicle", "drowning"],
        "inputs": [(1, 6, 7), (1, 3, 7), (3, 6, 7), (1, 6, 15)],
        "measures": [("management", "定期开展桥梁技术状况检测"), ("engineering", "设置限高限重设施和警示标志")],
    },
    "reservoir_bank": {
        "every": 5, "suffix": "库岸边坡及临水区域", "category": "site",
        "factors": ["库岸坍塌", "汛期水位上涨", "群众临水活动"],
        "accidents": ["drowning", "collapse"],
        "inputs": [(1, 3, 7), (3, 6, 7), (1, 6, 7), (3, 3, 15)],
        "measures": [("engineering", "临水区域设置防护栏和警示牌"), ("management", "汛期安排专人巡查库岸")],
    },
    "construction_site": {
        "every": 6, "suffix": "深基坑及起重作业", "category": "activity",
        "factors": ["深基坑支护失效", "塔吊倾覆", "高处作业无防护"],
        "accidents": ["collapse", "lifting", "fall_from_height", "struck_by_object"],
        "inputs": [(3, 6, 15), (3, 6, 7), (6, 6, 15), (1, 6, 15)],
        "measures": [("engineering", "深基坑专项方案经专家论证，设置监测点"),
                     ("ppe", "高处作业人员系挂安全带"), ("management", "起重作业持证上岗、专人指挥")],
    },
}

ENTERPRISE_KINDS = {
    "hazchem": {"every": 1, "suffix": "生产装置区", "category": "facility",
                "factors": ["反应失控", "管道法兰泄漏", "动火作业"],
                "accidents": ["fire", "other_explosion", "poisoning", "scald"],
                "inputs": [(6, 6, 15), (3, 6, 15), (3, 6, 7), (3, 6, 15), (1, 6, 15)],
                "measures": [("engineering", "关键装置设置DCS和紧急停车系统"),
                             ("management", "特殊作业执行作业票证管理")]},
    "lpg": {"every": 3, "suffix": "液化石油气储罐区", "category": "facility",
            "factors": ["储罐超装", "钢瓶充装泄漏", "静电"],
            "accidents": ["fire", "other_explosion", "vessel_explosion"],
            "inputs": [(3, 6, 15), (3, 6, 7), (6, 6, 15), (1, 6, 15)],
            "measures": [("engineering", "储罐设置液位、压力远传和紧急切断"), ("training", "充装工持证上岗并定期培训")]},
    "manufacturing": {"every": 12, "suffix": "机加工车间", "category": "activity",
                      "factors": ["设备防护缺失", "粉尘积聚", "有限空间作业"],
                      "accidents": ["machinery", "other_explosion", "poisoning"],
                      "inputs": [(3, 6, 7), (1, 6, 7), (3, 6, 15), (1, 3, 7)],
                      "measures": [("engineering", "转动部位加装防护罩"), ("ppe", "配发防尘口罩和防护眼镜")]},
}

AREA_POINTS = [  # per township: its own area-level risk point (assessed by the township)
    {"suffix": "城镇老旧燃气管网", "category": "facility", "factors": ["管线腐蚀", "占压"],
     "accidents": ["fire", "other_explosion"], "inputs": [(3, 6, 7), (1, 6, 7), (3, 6, 15), (1, 3, 7)],
     "measures": [("management", "燃气企业每月巡线，乡镇网格员日常巡查")]},
]

# (unit name, [(CAS, tonnes)]): grades follow from the inventory (and α from people nearby).
INSTALLATIONS = [
    ("光气合成单元", [("75-44-5", 2.0)]),                        # Σβq/Q = 20·2/0.3 ≈ 133 → 一级 whatever α ≥ 0.75
    ("液氨及液氯储罐区", [("7664-41-7", 150.0), ("7782-50-5", 40.0)]),  # 2·15 + 4·8 = 62 → 二级 (α 1.0–1.5) or 一级 (α 2)
    ("液氯钢瓶库", [("7782-50-5", 30.0)]),                        # 4·6 = 24 → 三级 (α ≤ 2)
    ("液化石油气储罐区", [("68476-85-7", 200.0)]),                  # 1.5·4 = 6 → 四级 (α 1.0–1.5), 三级 at α 2
    ("汽油储罐区", [("86290-81-5", 300.0)]),                       # 1.5 → 四级
    ("甲醇中间罐区", [("67-56-1", 300.0)]),                        # S = 0.6 < 1: not a major hazard installation
]
