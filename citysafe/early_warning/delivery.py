"""Fan-out of a published warning version: targeting (targeting.py) → outbox rows."""


def fan_out(warning_id: int) -> dict:
    return {"warning": warning_id, "queued": 0}
