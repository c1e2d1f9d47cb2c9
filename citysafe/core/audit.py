"""Writing and verifying the hash-chained audit trail.

Each record's hash covers its content and the previous record's hash, so changing or
deleting any record breaks the chain at that point. Services call `record_change` inside
their transaction; the chain head row is locked so concurrent writers append in order.
"""
import contextvars
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from citysafe.core.audit_models import AuditChainHead, AuditChannel, AuditRecord

GENESIS = "0" * 64
_channel: contextvars.ContextVar[str] = contextvars.ContextVar("audit_channel", default=AuditChannel.COMMAND)


def current_channel() -> str:
    return _channel.get()


@contextmanager
def audit_channel(channel: str):
    """Edges (middleware, API auth, importers, worker) declare where changes come from."""
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


def set_channel(channel: str):
    return _channel.set(channel)


def snapshot(instance: models.Model) -> dict:
    """A JSON-safe dict of the concrete fields of a model instance (FKs as ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        data[field.attname] = _jsonable(value)
    for field in instance._meta.many_to_many:
        if instance.pk is not None:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (str, int, float, bool, type(None), list, dict)):
        return value
    return str(value)


def _canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def compute_hash(record: AuditRecord, prev_hash: str) -> str:
    payload = {
        "id": record.pk,
        "at": record.at.isoformat(),
        "actor": record.actor_id,
        "actor_label": record.actor_label,
        "channel": record.channel,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "before": record.before,
        "after": record.after,
        "note": record.note,
        "prev": prev_hash,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def _normalise(value):
    # Round-trip through JSON so the hash is computed over exactly what the database returns.
    return None if value is None else json.loads(_canonical(value))


def record_change(*, actor, action: str, instance: models.Model | None = None, object_type: str = "",
                  object_id: str = "", object_repr: str = "", before: dict | None = None,
                  after: dict | None = None, note: str = "") -> AuditRecord:
    if instance is not None:
        object_type = object_type or instance._meta.label
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:255]
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        record = AuditRecord(
            id=head.last_id + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=_actor_label(actor),
            channel=current_channel(),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:255],
            before=_normalise(before),
            after=_normalise(after),
            note=note,
            prev_hash=head.last_hash,
        )
        record.hash = compute_hash(record, head.last_hash)
        record.save(force_insert=True)
        head.last_id, head.last_hash, head.count = record.pk, record.hash, head.count + 1
        head.save(update_fields=["last_id", "last_hash", "count"])
    return record


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "system"
    return getattr(actor, "username", str(actor))


@dataclass
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def is_intact(self) -> bool:
        return self.first_broken_id is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in id order; name the first record whose link does not hold."""
    prev_hash, expected_id, checked = GENESIS, 1, 0
    last_pk = 0
    while True:
        batch = list(AuditRecord.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            break
        for record in batch:
            if record.pk != expected_id:
                return ChainReport(checked, expected_id, f"record #{expected_id} is missing (deleted)")
            if record.prev_hash != prev_hash:
                return ChainReport(checked, record.pk, "link to the previous record does not match")
            if compute_hash(record, prev_hash) != record.hash:
                return ChainReport(checked, record.pk, "content does not match its hash (altered)")
            prev_hash, expected_id, checked = record.hash, expected_id + 1, checked + 1
            last_pk = record.pk
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.count != checked or head.last_hash != prev_hash):
        return ChainReport(checked, checked + 1, "records after the last one found were removed (chain head mismatch)")
    return ChainReport(checked)


def record_changes(*, actor, action: str, changes: list[tuple[models.Model, dict | None, dict | None]],
                   note: str = "") -> list[AuditRecord]:
    """`record_change` for a set-based change of many records: one audit record per
    (instance, before, after), appended under one lock of the chain head with one INSERT per
    500, in the caller's transaction. For system work that changes rows with a bulk UPDATE (the
    hazard deadline sweep) and must still leave each record's change on the chain."""
    if not changes:
        return []
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        at, channel, label = timezone.now(), current_channel(), _actor_label(actor)
        records, prev_hash = [], head.last_hash
        for offset, (instance, before, after) in enumerate(changes, start=1):
            record = AuditRecord(
                id=head.last_id + offset, at=at, actor=actor if getattr(actor, "pk", None) else None,
                actor_label=label, channel=channel, action=action, object_type=instance._meta.label,
                object_id=str(instance.pk), object_repr=str(instance)[:255], before=_normalise(before),
                after=_normalise(after), note=note, prev_hash=prev_hash)
            record.hash = prev_hash = compute_hash(record, prev_hash)
            records.append(record)
        AuditRecord.objects.bulk_create(records, batch_size=500)
        head.last_id, head.last_hash, head.count = records[-1].pk, prev_hash, head.count + len(records)
        head.save(update_fields=["last_id", "last_hash", "count"])
    return records
