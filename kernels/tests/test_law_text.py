"""The law splitter on the 27 shipped laws, the seed policy, and texts it has never seen."""
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernels.chinese_numerals import NotANumeral, parse_chinese_number, to_chinese_number
from kernels.law_text import LawFormatError, parse_article_label, split_markdown, split_plain_text

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
LAWS = SHARED / "data" / "laws"
SEED = SHARED / "seed"


def law(name: str):
    return split_markdown(next(LAWS.glob(f"{name}(*.md")).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("text", "value"), [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百", 100), ("一百零五", 105), ("一百一十", 110),
    ("一百一十九", 119), ("一千零一十", 1010), ("两百", 200), ("〇", 0), ("41", 41)])
def test_chinese_numerals_read_as_laws_write_them(text, value):
    assert parse_chinese_number(text) == value
    if not text.isascii() and "两" not in text and "〇" not in text:
        assert to_chinese_number(value) == text


@given(st.integers(min_value=0, max_value=9999))
def test_chinese_numerals_round_trip(value):
    assert parse_chinese_number(to_chinese_number(value)) == value


def test_a_word_is_not_a_numeral():
    with pytest.raises(NotANumeral):
        parse_chinese_number("一二")
    assert parse_article_label("第条") is None
    assert parse_article_label("第一百三十四条之一") == (134, 1)
    assert parse_article_label("第41条") == (41, 0)


def test_all_27_shipped_laws_split_with_every_article_line():
    files = sorted(LAWS.glob("*.md"))
    assert len(files) == 27
    total = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        split = split_markdown(text)
        article_lines = [line for line in text.splitlines() if line.startswith("第") and "条 " in line[:12]]
        assert len(split.articles) == len(article_lines), path.name
        assert split.count("chapter") == sum(1 for line in text.splitlines() if line.startswith("## ")), path.name
        total += len(split.articles)
    assert total == 1863


def test_work_safety_law_counted_by_hand():
    # Counted by hand: the table of contents of the 2021 text has 7 chapters (总则 … 附则) and
    # no sections; `grep -c '^第[一二…百零]*条 '` gives 119 and the last is 第一百一十九条 (施行日期).
    split = law("安全生产法")
    assert split.title == "中华人民共和国安全生产法"
    assert (split.count("chapter"), split.count("section"), len(split.articles)) == (7, 0, 119)
    assert [h.title for h in split.headings][:2] == ["总则", "生产经营单位的安全生产保障"]
    article = next(a for a in split.articles if a.label == "第四十一条")
    assert article.key == "41" and article.chapter.label == "第二章"
    assert article.text.count("\n") == 2  # three paragraphs (款), kept inside the article
    assert split.history[-1].startswith("2021年6月10日")


def test_building_law_sections_counted_by_hand():
    # Counted by hand from the headings: 8 chapters; sections 2 in 第二章 (施工许可, 从业资格) and
    # 3 in 第三章 (一般规定, 发包, 承包) = 5; 85 articles (last: 第八十五条).
    split = law("建筑法")
    assert (split.count("chapter"), split.count("section"), len(split.articles)) == (8, 5, 85)
    sections = [(h.label, h.title) for h in split.headings if h.kind == "section"]
    assert sections[2:] == [("第一节", "一般规定"), ("第二节", "发包"), ("第三节", "承包")]
    assert split.articles[-1].label == "第八十五条"


# None of the 27 shipped laws has a 第X条之一, so the third hand check is real statute text typed
# in from 中华人民共和国刑法 as amended by 刑法修正案（十一）: 第一百三十四条 and 第一百三十四条之一 (危险作业罪),
# under 第二编 第二章; counted by hand: 1 part, 1 chapter, 3 articles (134, 134之一, 135).
CRIMINAL_LAW_EXCERPT = """# 中华人民共和国刑法（节选）

2020年12月26日 第十三届全国人民代表大会常务委员会第二十四次会议《中华人民共和国刑法修正案（十一）》

<!-- INFO END -->

## 第二编 分 则

## 第二章 危害公共安全罪

第一百三十四条 在生产、作业中违反有关安全管理的规定，因而发生重大伤亡事故或者造成其他严重后果的，处三年以下有期徒刑或者拘役；情节特别恶劣的，处三年以上七年以下有期徒刑。

强令他人违章冒险作业，或者明知存在重大事故隐患而不排除，仍冒险组织作业，因而发生重大伤亡事故或者造成其他严重后果的，处五年以下有期徒刑或者拘役；情节特别恶劣的，处五年以上有期徒刑。

第一百三十四条之一 在生产、作业中违反有关安全管理的规定，有下列情形之一，具有发生重大伤亡事故或者其他严重后果的现实危险的，处一年以下有期徒刑、拘役或者管制：

（一）关闭、破坏直接关系生产安全的监控、报警、防护、救生设备、设施，或者篡改、隐瞒、销毁其相关数据、信息的；

（二）因存在重大事故隐患被依法责令停产停业、停止施工、停止使用有关设备、设施、场所或者立即采取排除危险的整改措施，而拒不执行的；

（三）涉及安全生产的事项未经依法批准或者许可，擅自从事矿山开采、金属冶炼、建筑施工，以及危险物品生产、经营、储存等高度危险的生产作业活动的。

第一百三十五条 安全生产设施或者安全生产条件不符合国家规定，因而发生重大伤亡事故或者造成其他严重后果的，对直接负责的主管人员和其他直接责任人员，处三年以下有期徒刑或者拘役；情节特别恶劣的，处三年以上七年以下有期徒刑。
"""


def test_article_with_zhi_yi_counted_by_hand():
    split = split_markdown(CRIMINAL_LAW_EXCERPT)
    assert (split.count("part"), split.count("chapter"), len(split.articles)) == (1, 1, 3)
    assert [(a.label, a.key) for a in split.articles] == [
        ("第一百三十四条", "134"), ("第一百三十四条之一", "134-1"), ("第一百三十五条", "135")]
    zhi_yi = split.articles[1]
    assert zhi_yi.text.count("（") == 3 and zhi_yi.part.title == "分则" and zhi_yi.chapter.title == "危害公共安全罪"


def test_a_paragraph_starting_with_a_cross_reference_stays_in_its_article():
    split = split_plain_text("某某条例\n第一条 总的规定。\n第二条 有关事项。\n第一条规定的事项，依照本条办理。\n第三条 施行。\n")
    assert [a.label for a in split.articles] == ["第一条", "第二条", "第三条"]
    assert split.articles[1].text.endswith("依照本条办理。")


def test_plain_text_accepts_articles_written_without_a_space_when_numbers_run_on():
    split = split_plain_text("某县消防安全管理办法\n2024年1月5日 县政府公布\n第一章　总则\n第一条为了预防火灾，制定本办法。\n"
                             "第二条　本办法适用于本县。\n第二章 附则\n第三条本办法自公布之日起施行。")
    assert (split.title, split.history, split.count("chapter")) == ("某县消防安全管理办法", ["2024年1月5日 县政府公布"], 2)
    assert [a.text[:2] for a in split.articles] == ["为了", "本办", "本办"]


def test_a_duplicate_article_number_is_refused_with_its_line():
    with pytest.raises(LawFormatError) as refused:
        split_plain_text("某条例\n第一条 甲。\n第二条 乙。\n第二条 丙。")
    assert (refused.value.code, refused.value.line, refused.value.params["label"]) == ("duplicate_article", 4, "第二条")


def test_articles_going_backwards_are_refused():
    with pytest.raises(LawFormatError) as refused:
        split_plain_text("某条例\n第一条 甲。\n第三条 乙。\n第二条 丙。")
    assert refused.value.code == "article_out_of_order"


@pytest.mark.parametrize(("text", "code"), [
    ("", "empty"), ("一段普通的文字。\n没有任何条文。", "no_articles"), ("购物清单\n苹果\n香蕉", "no_articles")])
def test_a_text_that_is_not_a_law_is_refused(text, code):
    with pytest.raises(LawFormatError) as refused:
        split_plain_text(text)
    assert refused.value.code == code


def test_markdown_without_its_title_or_info_marker_is_refused():
    with pytest.raises(LawFormatError, match="no_title"):
        split_markdown("第一条 甲。")
    with pytest.raises(LawFormatError, match="no_info_end"):
        split_markdown("# 某法\n第一条 甲。")


def test_the_seed_policy_splits_as_an_outline_of_items():
    split = split_plain_text(next(SEED.glob("*.txt")).read_text(encoding="utf-8"))
    assert split.is_outline and split.title == "关于印发东乡县推进城市安全发展实施意见的通知"
    assert [h.title for h in split.headings] == ["总体要求", "主要任务", "保障措施"]
    labels = [a.label for a in split.articles]
    assert (len(labels), labels[0], labels[-1]) == (25, "一（一）", "三（四）")
    eighth = next(a for a in split.articles if a.label == "二（八）")
    assert eighth.key == "2.8" and eighth.text.startswith("深化安全隐患排查治理")
