"""A demo standard, so that `make demo` has clauses to cite ("建筑设计防火规范 第5.5.17条").

The text is an excerpt written for the demo after GB 50016-2014 《建筑设计防火规范》 (its
structure and a few clauses, shortened), imported as synthetic (演示数据): the county imports
the standards it uses from their published text (plain text or .docx, kernels/standard_text.py)."""
from citysafe.knowledge.services.documents import import_document

FIRE_CODE_EXCERPT = """GB 50016-2014 建筑设计防火规范
2014年8月27日发布
2015年5月1日实施
1 总则
1.0.1 为了预防建筑火灾，减少火灾危害，保护人身和财产安全，制定本规范。
1.0.2 本规范适用于下列新建、扩建和改建的建筑：
1 厂房；
2 仓库；
3 民用建筑。
2 术语
2.1 术语
2.1.1 高层建筑
建筑高度大于27m的住宅建筑和建筑高度大于24m的非单层厂房、仓库和其他民用建筑。
5 民用建筑
5.5 安全疏散和避难
5.5.17 公共建筑的安全疏散距离应符合下列规定：
1 直通疏散走道的房间疏散门至最近安全出口的直线距离不应大于规定的距离；
2 楼梯间应在首层直通室外。
"""


def load_demo_standards(actor) -> int:
    """Import the excerpt (again only when its text changed); returns 1 when a version was written."""
    report = import_document(actor, "GB50016-2014（演示摘录）.txt", FIRE_CODE_EXCERPT.encode(),
                             kind="national_standard", is_synthetic=True)
    return int(report.outcome in ("created", "new_version"))
