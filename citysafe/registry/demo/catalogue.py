"""Fixed catalogues of the demo county: real township names of 东乡族自治县 (code 622926),
the county departments and the industries each supervises (管行业必须管安全)."""

COUNTY_CODE = "622926"
COUNTY_NAME = "东乡族自治县"

TOWNSHIP_NAMES = [
    "锁南镇", "达板镇", "河滩镇", "那勒寺镇", "唐汪镇", "果园镇", "汪集镇", "龙泉镇",
    "柳树乡", "东塬乡", "百和乡", "关卜乡", "赵家乡", "坪庄乡", "春台乡", "北岭乡",
    "董岭乡", "车家湾乡", "考勒乡", "大树乡", "高山乡", "风山乡", "沿岭乡", "五家乡",
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

# (place type, industry code, share of places, geometry kind, name stem)
PLACE_KINDS = [
    ("school", "education", 6, "point", "学校"),
    ("hospital", "health", 2, "point", "卫生院"),
    ("market", "retail", 4, "polygon", "集贸市场"),
    ("religious_venue", "religion", 8, "point", "清真寺"),
    ("hotel", "hotel", 4, "point", "宾馆"),
    ("high_rise", "construction", 3, "polygon", "高层住宅楼"),
    ("commercial_complex", "retail", 1, "polygon", "商业综合体"),
    ("station", "transport", 1, "point", "客运站"),
    ("bridge", "transport", 4, "line", "大桥"),
    ("tunnel", "transport", 1, "line", "隧道"),
    ("road", "transport", 8, "line", "公路"),
    ("oil_gas_pipeline", "energy", 2, "line", "天然气管道"),
    ("reservoir_bank", "water", 2, "line", "黄河库岸"),
    ("gas_works", "lpg", 1, "point", "燃气调压站"),
    ("drainage", "water", 3, "point", "排水泵站"),
    ("landfill", "water", 1, "polygon", "垃圾填埋场"),
    ("power_facility", "energy", 3, "point", "变电站"),
    ("elevator", "construction", 6, "point", "电梯"),
    ("gas_station", "gas_station", 2, "point", "加油站"),
    ("hazchem_site", "hazchem", 1, "polygon", "危化品仓库"),
    ("construction_site", "construction", 4, "polygon", "建筑工地"),
    ("nine_small", "retail", 36, "point", "九小场所"),
]

# (industry code, share, name stem, scale weights)
ENTERPRISE_KINDS = [
    ("gas_station", 4, "加油站"),
    ("lpg", 3, "液化气供应站"),
    ("hazchem", 2, "化工仓储有限公司"),
    ("construction", 8, "建筑工程有限公司"),
    ("catering", 30, "餐馆"),
    ("retail", 35, "商店"),
    ("manufacturing", 10, "农产品加工厂"),
    ("hotel", 5, "宾馆"),
    ("transport", 3, "运输有限公司"),
]
