"""Check characters of Chinese national identifiers. Pure functions, no Django.

- USCC (统一社会信用代码), GB 32100-2015: 18 characters over a 31-letter alphabet,
  weighted sum mod 31.
- Resident ID number (居民身份证号码), GB 11643-1999: 17 digits + ISO 7064 MOD 11-2 check.
"""
from datetime import date

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
ID_CHECK = "10X98765432"


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """None when valid, else a short rule code: 'length', 'alphabet' or 'check'."""
    if len(code) != 18:
        return "length"
    if any(ch not in USCC_ALPHABET for ch in code):
        return "alphabet"
    if uscc_check_character(code[:17]) != code[17]:
        return "check"
    return None


def id_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=False)) % 11]


def id_number_problem(number: str) -> str | None:
    """None when valid, else 'length', 'digits', 'birthdate' or 'check'."""
    if len(number) != 18:
        return "length"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "digits"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birthdate"
    if born.year < 1900 or born > date.today():
        return "birthdate"
    if id_check_digit(number[:17]) != number[17]:
        return "check"
    return None


def mask_id_number(number: str) -> str:
    """Region (6) and last four characters of an ID number; the birth date and sequence hidden.
    The one masking rule (policy: citysafe.core.masking). A value too short for that shape
    (legacy or bad data) keeps only its last two characters, never more than half of it."""
    if not number:
        return ""
    if len(number) < 14:
        keep = min(2, len(number) // 2)
        return "*" * (len(number) - keep) + number[len(number) - keep:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
