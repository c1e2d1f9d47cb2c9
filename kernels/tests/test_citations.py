"""Finding citations in typed text (pure: the known names are passed in)."""
from kernels.citations import find_citations

NAMES = ["安全生产法", "中华人民共和国安全生产法", "安法", "消防法", "东乡县推进城市安全发展实施意见"]


def test_names_in_brackets_before_the_number_and_abbreviations():
    found = find_citations("依据《安全生产法》第四十一条、消防法第28条第一款第二项和安法 第一百三十四条之一处理。", NAMES)
    assert [(c.name, c.key, c.label, c.clause, c.item) for c in found] == [
        ("安全生产法", "41", "第四十一条", 0, 0), ("消防法", "28", "第二十八条", 1, 2),
        ("安法", "134-1", "第一百三十四条之一", 0, 0)]


def test_the_longest_known_name_wins_and_unknown_names_stay_empty():
    (full,) = find_citations("中华人民共和国安全生产法第五条", NAMES)
    assert full.name == "中华人民共和国安全生产法" and full.start == 0
    (bare,) = find_citations("本法第十条", NAMES)
    assert bare.name is None and bare.key == "10"


def test_outline_items_of_a_county_document_need_a_name():
    found = find_citations("见东乡县推进城市安全发展实施意见 二（八），以及（三）项。", NAMES)
    assert [(c.name, c.key, c.label) for c in found] == [("东乡县推进城市安全发展实施意见", "2.8", "二（八）")]
