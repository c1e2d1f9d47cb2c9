"""Chinese numerals as laws write them (第一百二十三条), both ways.

Hand-written because the libraries that exist (cn2an and similar) pull in large dependencies
for money and decimals; article numbers are whole numbers below ten thousand, which this
covers with forty lines, tested in kernels/tests/test_law_text.py.
"""
DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0, "两": 2, "○": 0}
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}


class NotANumeral(ValueError):
    pass


def parse_chinese_number(text: str) -> int:
    """"一百零五" → 105, "十二" → 12, also plain digits "105". Raises NotANumeral."""
    text = text.strip()
    if text.isdigit() and text.isascii():
        return int(text)
    if not text or any(c not in _DIGIT_VALUE and c not in _UNIT_VALUE for c in text):
        raise NotANumeral(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGIT_VALUE:
            if digit is not None and digit != 0 and _DIGIT_VALUE[char] != 0:
                raise NotANumeral(text)  # two digits in a row ("一二") is not how laws count
            digit = _DIGIT_VALUE[char]
        else:
            unit = _UNIT_VALUE[char]
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


def to_chinese_number(value: int) -> str:
    """105 → "一百零五", 12 → "十二" (the customary form without a leading 一), 0 → "零"."""
    if value < 0 or value >= 10000:
        raise ValueError(value)
    if value == 0:
        return DIGITS[0]
    parts, pending_zero = [], False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit_value % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append(DIGITS[0])
            pending_zero = False
        parts.append(DIGITS[digit] + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text
