"""Deadline sweeps: reminders before a record's `due_at`, an overdue notice after it and an
escalation chain, registered by apps and run by one periodic job (core.scheduler).

An app declares a sweep and registers it in its AppConfig.ready():

    register_sweep(DeadlineSweep(
        name="enterprise_suspension", model=Enterprise, state_field="operating_status",
        states={"suspended"}, send=notify_deadline,
        steps=(Step("reminder", timedelta(hours=-24)), Step("overdue", timedelta(0)),
               Step("escalate", timedelta(hours=72))),
    ))

`send(instance, step)` is the app's own: whom to tell and what (through
citysafe.notifications), so core names no app. Each step is sent once per entry of the record
into its state: a DeadlineNotice row (unique per sweep, record, `entered_at`, step) is
inserted in the same transaction as the send, so a second run, or two sweeps at once, send
nothing twice, and a new entry into the state (a new suspension) starts afresh. A step
before the deadline (negative offset) is skipped once the deadline has passed.

A sweep over many records may give `send_batch(instances, step)` instead of `send`: the due
records of a step are then read in chunks, the notices already sent left out with one query
per chunk, each chunk's DeadlineNotice rows inserted in one statement, and the
chunk handed to `send_batch` in the same transaction, so the queries grow with the chunks
(and whatever send_batch does per recipient), not with the records. A chunk that collides
with a concurrent sweep is rolled back and retried one record at a time.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.core.models import DeadlineNotice

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    stage: str              # "reminder", "overdue", "escalate" … (unique within the sweep)
    offset: timedelta       # relative to due_at: negative = before the deadline


@dataclass(frozen=True)
class DeadlineSweep:
    name: str
    model: type[Model]
    state_field: str
    states: frozenset
    steps: tuple[Step, ...]
    send: Callable[[Model, Step], None] | None = None
    send_batch: Callable[[list, Step], None] | None = None
    batch_size: int = 500

    def __post_init__(self):
        object.__setattr__(self, "states", frozenset(self.states))
        object.__setattr__(self, "steps", tuple(self.steps))


_SWEEPS: dict[str, DeadlineSweep] = {}


def register_sweep(sweep: DeadlineSweep) -> DeadlineSweep:
    """Called from an app's ready(); registering the same name again replaces it (reloads)."""
    _SWEEPS[sweep.name] = sweep
    return sweep


def registered_sweeps() -> list[DeadlineSweep]:
    return list(_SWEEPS.values())


def run_sweep(sweep: DeadlineSweep, now=None) -> int:
    """Send every step now due for records of `sweep`; returns how many were sent."""
    now = now or timezone.now()
    label = sweep.model._meta.label
    sent = 0
    base = sweep.model._default_manager.filter(
        **{f"{sweep.state_field}__in": sweep.states}, due_at__isnull=False, entered_at__isnull=False)
    if any(f.name == "archived_at" for f in sweep.model._meta.concrete_fields):
        base = base.filter(archived_at__isnull=True)
    for step in sweep.steps:
        due = base.filter(due_at__lte=now - step.offset)
        if step.offset < timedelta(0):
            due = due.filter(due_at__gt=now)
        already = DeadlineNotice.objects.filter(sweep=sweep.name, object_type=label, stage=step.stage)
        if sweep.send_batch is not None:
            sent += _run_step_in_batches(sweep, step, due, already, label)
            continue
        for instance in due.order_by("pk").iterator():
            if already.filter(object_id=instance.pk, entered_at=instance.entered_at).exists():
                continue
            try:
                with transaction.atomic():
                    DeadlineNotice.objects.create(sweep=sweep.name, object_type=label, object_id=instance.pk,
                                                  entered_at=instance.entered_at, stage=step.stage)
                    sweep.send(instance, step)
            except IntegrityError:
                continue  # a concurrent sweep sent it
            sent += 1
    return sent


def _run_step_in_batches(sweep: DeadlineSweep, step: Step, due, already, label: str) -> int:
    sent = 0
    # The due keys first (the state/deadline index answers that), then chunks by key: ORDER BY
    # pk with a LIMIT tempts SQLite into walking the whole primary key instead.
    keys = sorted(due.values_list("pk", flat=True))
    for start in range(0, len(keys), sweep.batch_size):
        candidates = list(due.filter(pk__in=keys[start:start + sweep.batch_size]).order_by("pk"))
        # Notices already sent, compared here rather than in SQL: SQLite compares datetimes as
        # text, and rows written outside the ORM may spell the same instant differently.
        done = set(already.filter(object_id__in=[i.pk for i in candidates]).values_list("object_id", "entered_at"))
        chunk = [i for i in candidates if (i.pk, i.entered_at) not in done]
        if not chunk:
            continue
        try:
            with transaction.atomic():
                DeadlineNotice.objects.bulk_create([
                    DeadlineNotice(sweep=sweep.name, object_type=label, object_id=instance.pk,
                                   entered_at=instance.entered_at, stage=step.stage) for instance in chunk])
                sweep.send_batch(chunk, step)
            sent += len(chunk)
        except IntegrityError:  # a concurrent sweep took some of them: one by one, skipping its rows
            for instance in chunk:
                try:
                    with transaction.atomic():
                        DeadlineNotice.objects.create(sweep=sweep.name, object_type=label, object_id=instance.pk,
                                                      entered_at=instance.entered_at, stage=step.stage)
                        sweep.send_batch([instance], step)
                except IntegrityError:
                    continue
                sent += 1
    return sent


def run_deadline_sweeps(now=None) -> dict[str, int]:
    """Every registered sweep, each in turn; one failing sweep does not stop the others."""
    results = {}
    with audit_channel(AuditChannel.SYSTEM):
        for sweep in registered_sweeps():
            try:
                results[sweep.name] = run_sweep(sweep, now)
            except Exception:
                logger.exception("deadline sweep %r failed", sweep.name)
                results[sweep.name] = -1
    return results
