import pytest

from kernels.chinese_numbers import format_chinese_number, format_percent


@pytest.mark.parametrize(("number", "text"), [
    (0, "0"), (7, "7"), (9999, "9999"), (10_000, "1万"), (12_345, "1.23万"), (12_355, "1.24万"),
    (1_000_000, "100万"), (99_994_999, "9999.5万"), (99_999_999, "1亿"), (100_000_000, "1亿"),
    (123_456_789, "1.23亿"), (1_234_567_890_123, "12345.68亿"), (-25_000, "-2.5万"), (3.5, "3.5"),
    (None, ""), (float("nan"), ""),
])
def test_large_numbers_are_written_in_wan_and_yi(number, text):
    assert format_chinese_number(number) == text


def test_the_number_of_decimals_and_the_threshold_can_be_chosen():
    assert format_chinese_number(12_345, digits=0) == "1万"
    assert format_chinese_number(12_345, digits=1) == "1.2万"
    assert format_chinese_number(12_345, threshold=100_000) == "12345"


def test_a_rate_is_a_percentage_and_nothing_to_divide_by_is_a_dash():
    assert format_percent(7, 8) == "87.5%"
    assert format_percent(1, 3) == "33.3%"
    assert format_percent(0, 0) == "—"
