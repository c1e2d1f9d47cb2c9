from django.template import Context, Template


def test_the_template_filter_writes_large_numbers_in_wan_and_yi():
    out = Template("{% load chinese_numbers %}{{ a|cn_number }} {{ b|cn_number }} {{ c|cn_number:1 }} "
                   "{{ d|cn_percent:e }}").render(Context({"a": 1_000_000, "b": 123_456_789, "c": 12_345,
                                                           "d": 7, "e": 8}))
    assert out == "100万 1.23亿 1.2万 87.5%"
