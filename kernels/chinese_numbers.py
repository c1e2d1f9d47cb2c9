"""Chinese large-number formatting: 12,345 → "1.23万", 123,456,789 → "1.23亿".

Hand-written because the usual libraries (babel's `format_compact_decimal`) follow CLDR, whose
zh short forms round to whole units ("1万") and cannot keep two decimals as Chinese statistics
reports do (统计公报: "1.23万人"); the rule is a few lines. Pure: no Django.
"""
from decimal import ROUND_HALF_UP, Decimal

WAN = 10_000
YI = 100_000_000


def _trim(value: Decimal, digits: int) -> str:
    quantum = Decimal(1).scaleb(-digits) if digits > 0 else Decimal(1)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_chinese_number(number, digits: int = 2, threshold: int = WAN) -> str:
    """`number` as Chinese statistics write it: below `threshold` in full (thousands not
    grouped, as in Chinese prose); from 万 (10⁴) in 万, from 亿 (10⁸) in 亿, with at most
    `digits` decimals (trailing zeros dropped). None → "" ; negative numbers keep their sign.
    A rounding that reaches the next unit moves to it (99,999,999 → "1亿", not "10000万")."""
    if number is None:
        return ""
    value = Decimal(str(number))
    if not value.is_finite():
        return ""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value < threshold:
        return sign + _trim(value, digits if value != value.to_integral_value() else 0)
    for unit, name in ((YI, "亿"), (WAN, "万")):
        if value >= unit:
            scaled = value / unit
            text = _trim(scaled, digits)
            if name == "万" and Decimal(text) >= WAN:   # 9999.999万 rounds to 1亿
                return sign + _trim(value / YI, digits) + "亿"
            return sign + text + name
    return sign + _trim(value, digits)


def format_percent(part, whole, digits: int = 1) -> str:
    """part/whole as "87.5%"; "—" when there is nothing to divide by."""
    if not whole:
        return "—"
    return _trim(Decimal(part) * 100 / Decimal(whole), digits) + "%"
