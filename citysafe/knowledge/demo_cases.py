"""Synthetic accident cases written for the demo (marked 演示数据 and shown as such): invented
events in an invented setting, each citing real articles of the shipped laws."""
from citysafe.knowledge.models import Document
from citysafe.knowledge.services.cases import create_case

CASES = (
    {"title": "（演示）某商住楼电动自行车充电引发火灾事故", "occurred_on": "2023-03-14", "place": "演示县城关镇某商住楼一层门厅",
     "industry": "居民住宅", "accident_type": "fire", "deaths": 1, "injuries": 3, "direct_loss": "86.5",
     "summary": "凌晨，住户在一层门厅违规为电动自行车充电，电池故障起火，烟气沿楼梯间蔓延。门厅堆放杂物，疏散通道被占用，部分住户被困。",
     "cause": "电动自行车在门厅违规停放充电；物业未落实消防安全职责，疏散通道和安全出口被杂物堵塞；消防设施未保持完好有效。",
     "lessons": "人员密集的住宅楼要把电动自行车停放充电作为火灾隐患排查的重点，疏散通道必须保持畅通。",
     "measures": "设置集中充电场所；开展楼道杂物清理；物业每月检查消防设施并记录。",
     "violated": ["消防法 第十六条", "消防法 第二十八条"]},
    {"title": "（演示）某餐饮店液化石油气泄漏爆炸事故", "occurred_on": "2022-09-02", "place": "演示县某镇商业街餐饮店后厨",
     "industry": "餐饮业", "accident_type": "other_explosion", "deaths": 0, "injuries": 4, "direct_loss": "42",
     "summary": "营业期间，后厨液化石油气钢瓶连接软管老化破裂，燃气泄漏后遇明火爆燃，后厨和前厅部分损毁。",
     "cause": "燃气用户使用年限已届满的连接管，未安装可燃气体报警装置；经营者未开展事故隐患排查治理。",
     "lessons": "餐饮场所用气安全须纳入日常检查，瓶装燃气要使用合格气瓶和连接管。",
     "measures": "更换金属连接管，安装燃气泄漏报警和切断装置，对全县餐饮场所开展燃气专项检查。",
     "violated": ["城镇燃气管理条例 第二十七条", "安全生产法 第四十一条"]},
    {"title": "（演示）某住宅项目脚手架作业高处坠落事故", "occurred_on": "2024-05-21", "place": "演示县某住宅小区在建项目",
     "industry": "建筑施工", "accident_type": "fall_from_height", "deaths": 1, "injuries": 0, "direct_loss": "138",
     "summary": "一名作业人员在外墙脚手架上作业时未系安全带，脚手板松动后坠落。",
     "cause": "施工单位未向作业人员提供并督促使用安全防护用具；现场未设置安全警示标志；安全教育培训流于形式。",
     "lessons": "高处作业必须落实安全带、安全网和脚手板固定等措施，施工总承包单位要对现场安全负总责。",
     "measures": "全面检查脚手架，补设安全网；对作业人员重新培训考核。",
     "violated": ["建设工程安全生产管理条例 第二十八条", "建设工程安全生产管理条例 第三十二条", "安全生产法 第二十八条"]},
    {"title": "（演示）某污水井清淤有限空间中毒窒息事故", "occurred_on": "2021-07-08", "place": "演示县工业园区市政污水井",
     "industry": "市政公用", "accident_type": "poisoning", "deaths": 2, "injuries": 1, "direct_loss": "260",
     "summary": "作业人员未经检测进入污水井清淤，吸入硫化氢昏倒，两名同伴盲目施救相继倒下。",
     "cause": "有限空间作业未执行先通风、再检测、后作业；未安排专门人员现场安全管理；盲目施救。",
     "lessons": "有限空间作业属于危险作业，必须审批、检测、监护，严禁盲目施救。",
     "measures": "制定有限空间作业审批制度，配备气体检测仪和正压式呼吸器，开展应急演练。",
     "violated": ["安全生产法 第四十三条", "安全生产法 第四十四条"]},
    {"title": "（演示）某货车制动失效道路交通事故", "occurred_on": "2023-11-30", "place": "演示县县道长下坡路段",
     "industry": "道路运输", "accident_type": "vehicle", "deaths": 1, "injuries": 2, "direct_loss": "57",
     "summary": "一辆重型货车在长下坡路段制动失效，冲向对向车道与一辆小客车相撞。",
     "cause": "驾驶人出车前未对车辆安全技术性能进行检查，车辆超载，制动器长期未维护。",
     "lessons": "运输企业要落实车辆维护和出车检查制度，严查超载。",
     "measures": "在长下坡路段设置避险车道和警示标志，对运输企业开展安全检查。",
     "violated": ["道路交通安全法 第二十一条", "道路交通安全法 第二十二条"]},
)


def load_demo_cases(actor) -> int:
    """The synthetic cases not loaded yet (by title); needs the shipped laws (they are cited)."""
    added = 0
    for data in CASES:
        if not Document.objects.filter(short_title=data["title"], is_current=True).exists():
            create_case(actor, dict(data), is_synthetic=True)
            added += 1
    return added
