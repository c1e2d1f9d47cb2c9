"""Standards split into numbered clauses (kernels/standard_text.py): headings, clauses, the
items kept inside their clause, and the errors."""
import pytest

from kernels.citations import find_citations
from kernels.law_text import LawFormatError, split_plain_text

FIRE_CODE = """GB 50016-2014 建筑设计防火规范
2014年8月27日发布
2015年5月1日实施
前言
本规范是根据住房和城乡建设部的要求修订的。
1 总则
1.0.1 为了预防建筑火灾，减少火灾危害，保护人身和财产安全，制定本规范。
1.0.2 本规范适用于下列新建、扩建和改建的建筑：
1 厂房；
2 仓库；
3 民用建筑。
2 术语、符号
2.1 术语
2.1.1 高层建筑 high-rise building
建筑高度大于27m的住宅建筑和建筑高度大于24m的非单层厂房、仓库和其他民用建筑。
5 民用建筑
5.5 安全疏散和避难
5.5.17 公共建筑的安全疏散距离应符合下列规定：
1 直通疏散走道的房间疏散门至最近安全出口的直线距离不应大于表5.5.17的规定。
2 楼梯间应在首层直通室外。
"""


def test_a_standard_is_split_into_numbered_clauses_under_its_chapters_and_sections():
    law = split_plain_text(FIRE_CODE)
    assert (law.is_standard, law.title, law.number) == (True, "建筑设计防火规范", "GB 50016-2014")
    assert law.history == ["2014年8月27日发布", "2015年5月1日实施"]
    assert [(h.kind, h.label, h.title) for h in law.headings] == [
        ("chapter", "1", "总则"), ("chapter", "2", "术语、符号"), ("section", "2.1", "术语"),
        ("chapter", "5", "民用建筑"), ("section", "5.5", "安全疏散和避难")]
    assert [(a.key, a.label) for a in law.articles] == [
        ("1.0.1", "第1.0.1条"), ("1.0.2", "第1.0.2条"), ("2.1.1", "第2.1.1条"), ("5.5.17", "第5.5.17条")]
    clause = law.articles[-1]
    assert (clause.chapter.label, clause.section.label) == ("5", "5.5")
    # the items "1 …" "2 …" stay inside their clause, they are neither chapters nor clauses
    assert clause.text.split("\n")[1:] == ["1 直通疏散走道的房间疏散门至最近安全出口的直线距离不应大于表5.5.17的规定。",
                                            "2 楼梯间应在首层直通室外。"]
    assert "3 民用建筑。" in law.articles[1].text
    assert law.preamble.startswith("前言")


def test_the_number_may_follow_the_title_or_stand_on_the_second_line_and_text_under_a_heading_is_its_clause():
    for head in ("安全生产标准化基本规范（GB/T 33000-2016）", "安全生产标准化基本规范\nGB/T 33000-2016"):
        law = split_plain_text(head + "\n1 范围\n本标准规定了企业安全生产标准化管理体系建立的要求。\n"
                                      "2 规范性引用文件\n下列文件对于本文件的应用是必不可少的。\n"
                                      "5.1 目标\n5.1.1 企业应根据自身安全生产实际，制定安全生产目标。\n")
        assert (law.title, law.number) == ("安全生产标准化基本规范", "GB/T 33000-2016")
        assert [a.key for a in law.articles] == ["1", "2", "5.1.1"]
        assert law.articles[0].text == "本标准规定了企业安全生产标准化管理体系建立的要求。"


def test_a_repeated_clause_number_is_an_error():
    with pytest.raises(LawFormatError) as error:
        split_plain_text(FIRE_CODE + "5.5.17 重复的条文。\n")
    assert error.value.code == "duplicate_article" and error.value.params["label"] == "第5.5.17条"


def test_a_law_without_a_standard_number_is_not_read_as_a_standard():
    law = split_plain_text("某县规定\n第一条 距离不小于2.5米。\n第二条 3.1 米以上的围墙应当加固。\n")
    assert not law.is_standard and [a.key for a in law.articles] == ["1", "2"]


def test_clause_citations_are_found_by_name_or_number_and_a_bare_decimal_is_not_one():
    names = ["建筑设计防火规范", "GB 50016-2014"]
    found = find_citations("违反《建筑设计防火规范》第5.5.17条，见GB 50016-2014 1.0.2；间距2.5米。", names)
    assert [(c.name, c.key, c.label) for c in found] == [
        ("建筑设计防火规范", "5.5.17", "第5.5.17条"), ("GB 50016-2014", "1.0.2", "第1.0.2条")]
