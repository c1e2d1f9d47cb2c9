"""Writes of the hazards app: hazards and the loop (hazards.py), public reports and rewards
(reports.py, records.py), deadlines (deadlines.py), the area raise (area_raise.py)."""
