"""Fixed catalogues of the demo county: real township names of 东乡族自治县 (code 622926),
the county departments and the industries each supervises (管行业必须管安全)."""

COUNTY_CODE = "622926"
COUNTY_NAME = "东乡族自治县"

# The 24 townships of 东乡族自治县 with their real codes: National Bureau of Statistics,
# 2022 统计用区划代码 (shared/data/admin-codes/dongxiang-townships-2022.csv), in code order.
# The first two (锁南镇, 达板镇) are the ones the small test county and its fixtures use.
TOWNSHIPS = [
    ("622926100", "锁南镇"), ("622926101", "达板镇"), ("622926102", "河滩镇"), ("622926103", "那勒寺镇"),
    ("622926104", "唐汪镇"), ("622926105", "果园镇"), ("622926106", "汪集镇"), ("622926107", "龙泉镇"),
    ("622926200", "春台乡"), ("622926201", "柳树乡"), ("622926202", "东塬乡"), ("622926204", "坪庄乡"),
    ("622926205", "百和乡"), ("622926206", "关卜乡"), ("622926208", "赵家乡"), ("622926209", "五家乡"),
    ("622926212", "沿岭乡"), ("622926214", "风山乡"), ("622926215", "车家湾乡"), ("622926216", "高山乡"),
    ("622926219", "大树乡"), ("622926220", "北岭乡"), ("622926222", "考勒乡"), ("622926223", "董岭乡"),
]
TOWNSHIP_NAMES = [name for _, name in TOWNSHIPS]

# Synthetic village / community names: common stems of rural place names in Gansu (clan
# names, landforms, collective-era names). Not the real villages of the county.
VILLAGE_STEMS = [
    "马家", "王家", "张家", "何家", "汪家", "妥家", "韩家", "陈家", "赵家", "唐家", "拱北湾", "阳洼",
    "阴洼", "沟门", "河沿", "塬头", "坪庄", "大塬", "新庄", "红星", "团结", "和平", "光明", "胜利",
    "联合", "前进", "东风", "红旗", "松树", "柳沟", "杏花", "梨园", "石门", "高崖", "下川", "上川",
    "南湾", "北山", "中心", "新民",
]
HAMLET_ENDINGS = ["庄", "湾", "沟", "山", "塬", "坪", "滩"]
COMMUNITY_STEMS = ["城关", "东街", "西街", "南关", "北关", "新区", "滨河", "文化"]

# Words used in shop, hotel, estate and company names.
TRADE_WORDS = [
    "鑫源", "恒通", "祥和", "金达", "宏达", "永盛", "丰源", "瑞祥", "兴旺", "福泰", "昌盛", "华丰",
    "通达", "顺发", "佳禾", "盛源", "安康", "吉祥", "明珠", "金山", "银河", "长青", "富民", "凤凰",
    "天诚", "汇丰", "鼎盛", "宏远", "聚源", "泰和", "万通", "新达", "正大", "德隆", "金鼎", "安泰",
    "华盛", "隆昌", "永泰", "百川", "元亨", "利民", "康达", "兴盛", "同心", "和顺", "嘉禾", "恒源",
]

# (code, name, department code)
INDUSTRIES = [
    ("hazchem", "危险化学品", "yjj"),
    ("gas_station", "成品油及加油加气", "yjj"),
    ("lpg", "液化石油气及燃气", "zjj"),
    ("construction", "房屋建筑和市政工程", "zjj"),
    ("manufacturing", "工贸制造", "yjj"),
    ("catering", "餐饮服务", "scjgj"),
    ("retail", "商贸零售（九小场所）", "scjgj"),
    ("education", "教育", "jyj"),
    ("health", "医疗卫生", "wjj"),
    ("transport", "交通运输", "jtj"),
    ("hotel", "住宿业", "scjgj"),
    ("religion", "宗教活动场所", "mzj"),
    ("water", "水利", "slj"),
    ("energy", "电力与油气管道", "fgj"),
]

# (code, name)
DEPARTMENTS = [
    ("yjj", "县应急管理局"),
    ("zjj", "县住房和城乡建设局"),
    ("scjgj", "县市场监督管理局"),
    ("jyj", "县教育局"),
    ("wjj", "县卫生健康局"),
    ("jtj", "县交通运输局"),
    ("mzj", "县民族宗教事务局"),
    ("slj", "县水务局"),
    ("fgj", "县发展和改革局"),
    ("xfj", "县消防救援大队"),
]

SURNAMES = "马王张李赵刘陈杨黄周吴徐孙胡朱高林何郭罗妥汪唐韩冯"
GIVEN = "明华国建军平志伟强文海燕秀英玲芳兰红丽梅霞娟斌磊涛亮刚勇福成德仁"

# (place type, industry code, share of places, geometry kind, name templates, capacity range)
# Templates: {town} township without 镇/乡, {village} village or community, {word} a trade
# word, {surname} a family name. Capacity (people) fits the type; None for lines.
PLACE_KINDS = [
    ("school", "education", 6, "point",
     ["{village}小学", "{town}中心小学", "{town}第一中学", "{village}幼儿园", "{village}{hamlet}教学点"], (300, 3000)),
    ("hospital", "health", 2, "point", ["{town}卫生院", "{village}卫生室", "{village}{hamlet}卫生室"], (30, 400)),
    ("market", "retail", 4, "polygon", ["{town}农贸市场", "{town}牛羊交易市场", "{village}集市", "{town}{word}商贸市场"],
     (500, 5000)),
    ("religious_venue", "religion", 8, "point", ["{village}清真寺", "{village}{hamlet}清真寺", "{village}{hamlet}拱北"],
     (200, 1500)),
    ("hotel", "hotel", 4, "point", ["{town}{word}宾馆", "{town}{word}大酒店", "{village}{word}农家乐"], (40, 400)),
    ("high_rise", "construction", 3, "polygon", ["{town}{word}家园{building}", "{town}{word}花园{building}"],
     (200, 1200)),
    ("commercial_complex", "retail", 1, "polygon", ["{town}{word}商业广场", "{town}{word}购物中心"], (1000, 8000)),
    ("station", "transport", 1, "point", ["{town}汽车站", "{town}客运站", "{village}招呼站"], (100, 800)),
    ("bridge", "transport", 4, "line", ["{village}大桥", "{village}{hamlet}桥"], None),
    ("tunnel", "transport", 1, "line", ["{village}隧道", "{village}{hamlet}隧道"], None),
    ("road", "transport", 8, "line", ["{town}至{village}公路", "{village}至{hamlet}通村道路"], None),
    ("oil_gas_pipeline", "energy", 2, "line", ["{town}天然气中压管线", "{village}燃气支线"], None),
    ("reservoir_bank", "water", 2, "line", ["{village}库岸", "{village}{hamlet}河堤"], None),
    ("gas_works", "lpg", 1, "point", ["{town}燃气调压站", "{town}{word}液化气储配站"], (5, 30)),
    ("drainage", "water", 3, "point", ["{village}排水泵站", "{village}{hamlet}提灌站", "{town}污水提升泵站"], (2, 15)),
    ("landfill", "water", 1, "polygon", ["{town}生活垃圾填埋场", "{village}垃圾中转站"], (5, 40)),
    ("power_facility", "energy", 3, "point", ["{village}变电站", "{town}供电所", "{village}{hamlet}配电房"], (3, 30)),
    ("elevator", "construction", 6, "point", ["{town}{word}家园{building}电梯", "{town}{word}宾馆客梯"], (8, 21)),
    ("gas_station", "gas_station", 2, "point", ["{town}{word}加油站", "{village}加油站"], (10, 60)),
    ("hazchem_site", "hazchem", 1, "polygon", ["{town}危险化学品仓库", "{town}{word}化工仓储库区"], (5, 50)),
    ("construction_site", "construction", 4, "polygon", ["{town}{word}家园建设项目工地", "{village}{word}小区施工现场"],
     (30, 500)),
    ("nine_small", "retail", 36, "point",
     ["{village}{word}小卖部", "{village}{word}便民超市", "{village}{surname}家手抓羊肉馆", "{village}{word}理发店",
      "{town}{word}五金店", "{village}{hamlet}农资店", "{town}{surname}家牛肉面馆", "{village}{word}小吃店",
      "{town}{word}网吧"], (10, 80)),
]

# (industry code, share, name templates) for enterprises; {town} is the township's full name.
ENTERPRISE_KINDS = [
    ("gas_station", 4, ["东乡县{word}加油站", "东乡县{town}{word}加油站"]),
    ("lpg", 3, ["东乡县{word}液化气供应站", "东乡县{word}燃气有限公司"]),
    ("hazchem", 2, ["东乡县{word}化工仓储有限公司", "临夏州{word}化工有限公司东乡分公司"]),
    ("construction", 8, ["甘肃{word}建筑工程有限公司", "东乡县{word}建筑安装有限责任公司", "临夏州{word}建设工程有限公司",
                         "东乡县{town}{word}建筑队"]),
    ("catering", 30, ["{town}{surname}家手抓羊肉馆", "{town}{word}清真餐厅", "{town}{surname}记牛肉面馆"]),
    ("retail", 35, ["{town}{word}便民超市", "{town}{word}商店", "{town}{word}农资门市部"]),
    ("manufacturing", 10, ["东乡县{word}农产品加工有限公司", "东乡县{word}洋芋淀粉加工厂", "东乡县{town}{word}面粉加工厂",
                           "东乡县{town}{word}牛羊肉加工厂"]),
    ("hotel", 5, ["{town}{word}宾馆", "东乡县{word}酒店有限公司"]),
    ("transport", 3, ["东乡县{word}运输有限公司", "东乡县{word}物流有限公司"]),
]
