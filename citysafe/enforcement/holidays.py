"""The State Council's holiday notices for 2025 and 2026 as seed rows of the Holiday table
(editable afterwards: a county corrects or adds a year on the holiday page).

2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）.
2026: 国务院办公厅关于2026年部分节假日安排的通知 as recalled when this was written — marked
待核实 in each row's note until checked against the published notice."""
from datetime import date, timedelta

CHECK_2026 = "待核实：以国务院办公厅2026年节假日安排通知为准"


def _span(first: date, days: int):
    return [first + timedelta(days=i) for i in range(days)]


# (name, days off, adjusted working weekend days, note)
NOTICES = [
    ("元旦", _span(date(2025, 1, 1), 1), [], ""),
    ("春节", _span(date(2025, 1, 28), 8), [date(2025, 1, 26), date(2025, 2, 8)], ""),
    ("清明节", _span(date(2025, 4, 4), 3), [], ""),
    ("劳动节", _span(date(2025, 5, 1), 5), [date(2025, 4, 27)], ""),
    ("端午节", _span(date(2025, 5, 31), 3), [], ""),
    ("国庆节、中秋节", _span(date(2025, 10, 1), 8), [date(2025, 9, 28), date(2025, 10, 11)], ""),
    ("元旦", _span(date(2026, 1, 1), 3), [date(2026, 1, 4)], CHECK_2026),
    ("春节", _span(date(2026, 2, 15), 9), [date(2026, 2, 14), date(2026, 2, 28)], CHECK_2026),
    ("清明节", _span(date(2026, 4, 4), 3), [], CHECK_2026),
    ("劳动节", _span(date(2026, 5, 1), 5), [date(2026, 5, 9)], CHECK_2026),
    ("端午节", _span(date(2026, 6, 19), 3), [], CHECK_2026),
    ("中秋节", _span(date(2026, 9, 25), 3), [], CHECK_2026),
    ("国庆节", _span(date(2026, 10, 1), 7), [date(2026, 9, 20), date(2026, 10, 10)], CHECK_2026),
]


def seed_rows():
    """(day, kind, name, note) for every day of the notices."""
    for name, off, worked, note in NOTICES:
        for day in off:
            yield day, "holiday", name, note
        for day in worked:
            yield day, "workday", name + "调休", note
