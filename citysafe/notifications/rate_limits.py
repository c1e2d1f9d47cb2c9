"""Per-channel rate limits shared by every worker (NOTIFICATION_RATE_LIMITS, messages/s).

An SMS operator or a mail relay limits the platform as a whole, so the limit must hold
across worker processes and machines. The shared state is one `ChannelRateSlot` row per
channel in the database — the one store every worker already shares. The project's cache is
Django's default LocMemCache (per process; no CACHES setting and no Redis in a deployment),
so a cache-based limiter would again be per process.

The algorithm is a virtual-scheduling leaky bucket (GCRA without burst): the row holds the
next free send time; a worker reserves a block of `n` consecutive slots with one conditional
UPDATE — `next_slot = max(next_slot, now) + n / rate` — and reads the block's end in the same
transaction (the UPDATE's row lock on PostgreSQL, the write lock on SQLite, keep anyone else
between the two). It then sends each message no earlier than its slot. Slots a worker reserved
but did not use (its claim ended, it died) are lost, which only ever makes the pace slower.
Blocks of about RESERVE_SECONDS of traffic keep the database to a few writes per second per
channel at any rate. Clocks: the slots are Unix times of the workers' clocks, so machines
running workers must keep NTP time (a skew of a few ms moves sends by that much).
"""
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, FloatField, Value
from django.db.models.functions import Greatest

from citysafe.notifications.models import ChannelRateSlot

RESERVE_SECONDS = 0.1  # traffic reserved per database round trip


def rate_of(channel: str) -> float | None:
    rate = (getattr(settings, "NOTIFICATION_RATE_LIMITS", {}) or {}).get(channel)
    return float(rate) if rate else None


def reserve(channel: str, count: int, rate: float) -> float:
    """Reserve `count` consecutive slots of `channel`; returns the Unix time of the first."""
    gap = 1.0 / rate
    for _ in range(2):
        now = time.time()
        with transaction.atomic():
            updated = ChannelRateSlot.objects.filter(channel=channel).update(
                next_slot=Greatest(F("next_slot"), Value(now, output_field=FloatField())) + count * gap)
            if updated:
                end = ChannelRateSlot.objects.filter(channel=channel).values_list("next_slot", flat=True).get()
                return end - count * gap
        try:
            with transaction.atomic():
                ChannelRateSlot.objects.create(channel=channel, next_slot=0.0)
        except IntegrityError:
            pass  # another worker created it first
    raise RuntimeError(f"rate slot row for {channel!r} could not be created")


class Pacer:
    """One worker's reserved slots, per channel: `wait(channel)` says how long to sleep
    before the next send (0 for a channel without a limit), reserving a new block when the
    worker's slots are used up or already in the past."""

    def __init__(self):
        self._slots: dict[str, list[float]] = {}

    def wait(self, channel: str, *, wanted: int = 1) -> float:
        rate = rate_of(channel)
        if not rate:
            return 0.0
        slots = self._slots.setdefault(channel, [])
        now = time.time()
        # A slot more than one gap in the past is stale (the worker was busy): using it
        # would send in a burst what the bucket spaced out. Drop it.
        while slots and slots[0] < now - 1.0 / rate:
            slots.pop(0)
        if not slots:
            count = max(1, min(wanted, int(rate * RESERVE_SECONDS)))
            first = reserve(channel, count, rate)
            slots.extend(first + i / rate for i in range(count))
        return max(0.0, slots.pop(0) - time.time())

    def forget(self) -> None:
        self._slots.clear()
