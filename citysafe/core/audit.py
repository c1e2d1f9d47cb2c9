"""Writing and verifying the hash-chained audit trail.

Each record's hash covers its content and the previous record's hash, so changing or
deleting any record breaks the chain at that point. Services call `record_change` inside
their transaction; the chain head row is locked so concurrent writers append in order.

There is one chain per county (issue 19): the chain key is the area code of the county the
acting user's organisation (or enterprise) lies in; actions without a user or a county go to
the "root" chain, which also holds the single chain of before — except their changes to a
record of another county than the home county, which go to that county's chain
(`record_chain_keys`). Writers of different counties no longer wait for each other; each chain
verifies on its own (`verify_chains`).
"""
import contextvars
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.db.models.signals import post_delete, post_save
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


ROOT = "root"


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
    if record.chain != ROOT:  # the root chain keeps the payload of the single chain it continues
        payload["chain"], payload["seq"] = record.chain, record.seq
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
    key = record_chain_keys(actor, [instance])[0] if instance is not None else chain_key(actor)
    with transaction.atomic():
        head = _lock_head(key)
        record = AuditRecord(
            id=_next_id(),
            chain=key,
            seq=head.count + 1,
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


# County of an area id; an area's county never changes (a new county is a new area). Forgotten
# whenever an area is saved or deleted: an id can come back (SQLite reuses the ids of rows
# whose insert was rolled back, as each test's is), and the cache must not outlive its row.
_county_of: dict[int, str] = {}


def _forget_counties(**_kwargs) -> None:
    _county_of.clear()


post_save.connect(_forget_counties, sender="registry.Area", weak=False, dispatch_uid="core.audit.county_of.save")
post_delete.connect(_forget_counties, sender="registry.Area", weak=False, dispatch_uid="core.audit.county_of.delete")


def chain_key(actor) -> str:
    """The county area code of the actor's organisation (its area, walked up to the county
    level), else of its enterprise's township; for an office above the counties (the
    prefecture's) its own area's code; "root" for the system and for users outside any area. Areas are followed by attribute, as core does not import the registry."""
    if actor is None or not getattr(actor, "pk", None):
        return ROOT
    area_id = None
    organisation = getattr(actor, "organisation", None) if getattr(actor, "organisation_id", None) else None
    if organisation is not None:
        area_id = organisation.area_id
    elif getattr(actor, "enterprise_id", None):
        area_id = actor.enterprise.township_id
    if area_id is None:
        return ROOT
    if area_id not in _county_of:
        start = area = organisation.area if organisation is not None else actor.enterprise.township
        while area is not None and area.level != "county":
            area = area.parent
        if area is None and start.level in ("prefecture", "province"):
            area = start  # an office above the counties keeps a chain of its own area
        _county_of[area_id] = area.code[:32] if area is not None else ROOT
    return _county_of[area_id]


# ---- the chain of a record the system changes ---------------------------------------------
# The system account and actions without a user have no county: their chain is "root", the home
# county's. Their change to a record of another county is appended to that county's chain
# instead, so that county's audit log lists it and the home county's does not (issue 19). Which
# county a record lies in is read from the area tree, which core cannot read: the app owning it
# registers `resolver(instances)` -> one chain key per instance (None: the actor's chain — a
# record of no county, or of the home county), or None for all of them (a one-county
# deployment, decided without a query).
_RECORD_CHAINS = None


def register_record_chains(resolver) -> None:
    global _RECORD_CHAINS
    _RECORD_CHAINS = resolver


def record_chain_keys(actor, instances: list) -> list[str]:
    """The chain each instance's change by `actor` is appended to: the actor's (`chain_key`),
    except that a root actor's change to a record of a county other than the home county goes
    to that county's chain. An actor with a county, or the prefecture office, keeps its own."""
    key = chain_key(actor)
    if key != ROOT or _RECORD_CHAINS is None or not instances:
        return [key] * len(instances)
    found = _RECORD_CHAINS(instances)
    return [key] * len(instances) if found is None else [found_key or key for found_key in found]


def _lock_head(key: str) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(key=key).first()
    if head is not None:
        return head
    # A new chain. The root head is locked too, until commit, so a reader of the committed
    # horizon (`committed_horizon`) waits for this first record as it waits for any other.
    if key != ROOT:
        _lock_head(ROOT)
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(key=key)
    except IntegrityError:  # another writer created it first: wait for its lock below
        pass
    return AuditChainHead.objects.select_for_update().get(key=key)


def committed_horizon() -> int:
    """The highest audit id below which every record is committed: readers that walk the
    audit trail by id (the sharing feed and webhooks) read up to here. With one lock per
    chain, ids are no longer handed out in commit order across chains; taking a share lock
    on every chain head waits for the writers in flight, and any writer after them takes a
    higher id. (SQLite has one writer at a time: the newest id is the horizon.)"""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Django offers FOR UPDATE only; the table name is the model's own.
                cursor.execute(f"SELECT id FROM {AuditChainHead._meta.db_table} ORDER BY id FOR SHARE")  # noqa: S608
        return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _next_id() -> int:
    """The new record's id, taken before the insert because its hash covers it. PostgreSQL:
    the column's own sequence; SQLite: one writer at a time holds the lock (IMMEDIATE
    transactions), past both the highest id and AUTOINCREMENT's memory of it."""
    table = AuditRecord._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        else:
            sql = (f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
                   f"COALESCE((SELECT MAX(id) FROM {table}), 0)) + 1")  # the model's own table name
            cursor.execute(sql, [table])
        return cursor.fetchone()[0]


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "system"
    return getattr(actor, "username", str(actor))


@dataclass
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""
    chain: str = ROOT
    first_broken_seq: int | None = None

    @property
    def is_intact(self) -> bool:
        return self.first_broken_id is None and self.first_broken_seq is None


# ---- who reads which chains (the audit log page) -----------------------------------------
# A county's admin reads its own county's chain, the prefecture office its counties' and its
# own; the "root" chain (the system, and accounts without an area: a one-county deployment's)
# belongs to the home county, as every row no key places in a county. The chain keys are area
# codes, which core cannot read: the app owning the area tree registers `source(user)` ->
# the chain keys the user reads, or None for every chain (a one-county deployment).
_CHAIN_SOURCE = None


def register_chain_source(source) -> None:
    global _CHAIN_SOURCE
    _CHAIN_SOURCE = source


def visible_chains(user) -> frozenset[str] | None:
    """The audit chains `user` reads (None: all of them)."""
    return _CHAIN_SOURCE(user) if _CHAIN_SOURCE is not None else None


def visible_records(user, queryset=None) -> models.QuerySet:
    """Audit records of the chains `user` reads; who may open the log at all is the page's
    (core.admin: the county office's staff admins)."""
    queryset = AuditRecord.objects.all() if queryset is None else queryset
    chains = visible_chains(user)
    return queryset if chains is None else queryset.filter(chain__in=sorted(chains))


def chain_keys() -> list[str]:
    """Every chain: those with a head and those with records (a head deleted by hand shows)."""
    keys = set(AuditChainHead.objects.values_list("key", flat=True))
    keys |= set(AuditRecord.objects.order_by().values_list("chain", flat=True).distinct())
    return sorted(keys)


def verify_one(key: str, batch_size: int = 5000) -> ChainReport:
    """Walk one chain in its own order (seq); name the first record whose link does not hold."""
    prev_hash, expected, checked, last_seq = GENESIS, 1, 0, 0
    records = AuditRecord.objects.filter(chain=key).order_by("seq")
    while True:
        batch = list(records.filter(seq__gt=last_seq)[:batch_size])
        if not batch:
            break
        for record in batch:
            if record.seq != expected:
                return ChainReport(checked, record.pk, f"record {expected} of the chain is missing (deleted)",
                                   key, expected)
            if record.prev_hash != prev_hash:
                return ChainReport(checked, record.pk, "link to the previous record does not match", key, record.seq)
            if compute_hash(record, prev_hash) != record.hash:
                return ChainReport(checked, record.pk, "content does not match its hash (altered)", key, record.seq)
            prev_hash, expected, checked, last_seq = record.hash, expected + 1, checked + 1, record.seq
    head = AuditChainHead.objects.filter(key=key).first()
    if head is None and checked:
        return ChainReport(checked, None, "the chain's head is missing", key, checked + 1)
    if head is not None and (head.count != checked or head.last_hash != prev_hash):
        return ChainReport(checked, None, "records after the last one found were removed (chain head mismatch)",
                           key, checked + 1)
    return ChainReport(checked, chain=key)


def verify_chains(batch_size: int = 5000) -> list[ChainReport]:
    """One report per chain (verify_audit prints them all)."""
    return [verify_one(key, batch_size) for key in chain_keys()]


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Every chain: the first broken one's report, or the total checked when all hold."""
    reports = verify_chains(batch_size)
    broken = [report for report in reports if not report.is_intact]
    return broken[0] if broken else ChainReport(sum(report.checked for report in reports))


def record_changes(*, actor, action: str, changes: list[tuple[models.Model, dict | None, dict | None]],
                   note: str = "") -> list[AuditRecord]:
    """`record_change` for a set-based change of many records: one audit record per
    (instance, before, after), in the caller's order, each appended to its chain
    (`record_chain_keys`: the system's changes to the records of several counties are split by
    county) under one lock per chain head, with one INSERT per 500, in the caller's transaction.
    For system work that changes rows with a bulk UPDATE (the hazard deadline sweep) and must
    still leave each record's change on the chain."""
    return record_change_set(actor=actor, entries=[(action, instance, before, after, note)
                                                   for instance, before, after in changes])


def record_change_set(*, actor, entries: list[tuple[str, models.Model, dict | None, dict | None, str]]
                      ) -> list[AuditRecord]:
    """`record_changes` with an action and a note per entry (action, instance, before, after,
    note): a round of different changes (an alarm round's creations, level changes and clears)
    takes every chain head it needs once, in the one lock order, instead of one call per action
    taking heads in an order no other writer shares."""
    if not entries:
        return []
    keys = record_chain_keys(actor, [entry[1] for entry in entries])
    with transaction.atomic():
        heads = {key: _lock_head(key) for key in _lock_order(set(keys))}
        at, channel, label = timezone.now(), current_channel(), _actor_label(actor)
        user = actor if getattr(actor, "pk", None) else None
        records = []
        for record_id, key, (action, instance, before, after, note) in zip(
                _next_ids(len(entries)), keys, entries, strict=True):
            head = heads[key]
            record = AuditRecord(
                id=record_id, chain=key, seq=head.count + 1, at=at, actor=user,
                actor_label=label, channel=channel, action=action, object_type=instance._meta.label,
                object_id=str(instance.pk), object_repr=str(instance)[:255], before=_normalise(before),
                after=_normalise(after), note=note, prev_hash=head.last_hash)
            record.hash = compute_hash(record, head.last_hash)
            head.last_id, head.last_hash, head.count = record.pk, record.hash, head.count + 1
            records.append(record)
        AuditRecord.objects.bulk_create(records, batch_size=500)
        for key in sorted(set(keys)):
            heads[key].save(update_fields=["last_id", "last_hash", "count"])
    return records


def _lock_order(keys: set[str]) -> list[str]:
    """The heads to lock for one bulk, in the one order every writer follows, so two bulk
    writers never wait for each other in a cycle: "root" first, then the county keys sorted.
    A bulk of several chains locks root even when it writes none of it: creating a new chain's
    head locks root (`_lock_head`), and root must never be taken after a county's head."""
    if len(keys) == 1:
        return list(keys)
    return [ROOT] + sorted(keys - {ROOT})


def _next_ids(count: int) -> list[int]:
    """`_next_id` for `count` records at once (PostgreSQL: one round trip to the sequence;
    SQLite: consecutive ids after the next one, the writer holding the lock)."""
    if connection.vendor != "postgresql":
        first = _next_id()
        return list(range(first, first + count))
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [AuditRecord._meta.db_table, count])
        return [row[0] for row in cursor.fetchall()]
