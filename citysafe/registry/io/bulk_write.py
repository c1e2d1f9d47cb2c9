"""The write phase of a bulk import: statements prepared before the write lock is taken.

Why hand-written SQL: Django's bulk_create / bulk_update compile every batch in Python (about
0.4 ms a row here) and would do so while the import holds the database's write lock (SQLite:
the whole database; PostgreSQL: the audit chain head). Measured with 100,000 enterprises that
kept other townships' saves waiting ~50 s, past SQLite's 20 s lock timeout. Here each row's
parameters are converted with Django's own field methods (`get_db_prep_save`) during the
check phase, outside any transaction, and the write is one `executemany` per statement
(INSERT, UPDATE … WHERE id), looped over by the database driver.

Rows are recognised after the insert by their unique natural key (an enterprise's USCC), so
the audit record still names every created id.
"""
from django.db import connection
from django.utils import timezone

from citysafe.core.audit import _jsonable

STAMPS = ("created_at", "updated_at")
CHUNK = 5000


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class PreparedWrites:
    def __init__(self, model, update_fields: list[str], key: str):
        meta = model._meta
        self.model, self.key = model, key
        self.insert_fields = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in STAMPS]
        # `version` (optimistic concurrency, where the model has it) goes up by one in SQL.
        self.versioned = any(f.attname == "version" for f in meta.concrete_fields)
        self.update_fields = [meta.get_field(name) for name in update_fields if name not in (*STAMPS, "version")]
        self.guard = ("updated_at", "version") if self.versioned else ("updated_at",)
        self.stamp_field = meta.get_field("updated_at")
        # (row number, natural key, parameters)
        self.creates: list[tuple[int, str, tuple]] = []
        # (row number, id, parameters, guard values (updated_at, version) when read, snapshot before)
        self.updates: list[tuple[int, int, tuple, object, dict]] = []

    def _params(self, instance, fields) -> tuple:
        return tuple(f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields)

    def add(self, number: int, instance, before: dict | None) -> None:
        """Phase 1: the row's statement parameters, converted now, outside the lock."""
        if before is None:
            self.creates.append((number, getattr(instance, self.key), self._params(instance, self.insert_fields)))
        else:
            self.updates.append((number, instance.pk, self._params(instance, self.update_fields),
                                 tuple(before[name] for name in self.guard), before))

    def conflicts(self) -> list[tuple[int, str]]:
        """Inside the transaction, before writing: (row number, what) for records changed since
        they were checked, and natural keys registered meanwhile. Rows to update are locked."""
        problems = []
        for chunk in _chunks(self.updates, 1000):
            current = {row[0]: tuple(_jsonable(v) for v in row[1:]) for row in self.model.objects.select_for_update()
                       .filter(pk__in=[u[1] for u in chunk]).values_list("id", *self.guard)}
            problems += [(number, "changed") for number, pk, _p, read_at, _b in chunk if current.get(pk) != read_at]
        for chunk in _chunks(self.creates, 1000):
            taken = set(self.model.objects.filter(**{f"{self.key}__in": [c[1] for c in chunk]})
                        .values_list(self.key, flat=True))
            problems += [(number, "taken") for number, key, _p in chunk if key in taken]
        return problems

    def write(self) -> tuple[list[dict], list[tuple[dict, dict]]]:
        """Phase 2, inside the transaction: run the statements; returns the audit snapshots
        (after of each created record; before/after of each updated one)."""
        now = timezone.now()
        stamp = self.stamp_field.get_db_prep_save(now, connection)
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        with connection.cursor() as cursor:
            if self.creates:
                columns = [f.column for f in self.insert_fields] + list(STAMPS)
                # Names come from the model's metadata, quoted; values are parameters.
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES ({placeholders})"  # noqa: S608
                for chunk in _chunks(self.creates, CHUNK):
                    cursor.executemany(sql, [params + (stamp, stamp) for _n, _k, params in chunk])
            if self.updates:
                assignments = ", ".join(f"{quote(f.column)} = %s" for f in self.update_fields)
                if self.versioned:
                    assignments += f", {quote('version')} = {quote('version')} + 1"
                sql = f"UPDATE {table} SET {assignments}, {quote('updated_at')} = %s WHERE {quote('id')} = %s"  # noqa: S608
                for chunk in _chunks(self.updates, CHUNK):
                    cursor.executemany(sql, [params + (stamp, pk) for _n, pk, params, _r, _b in chunk])
        stamp_text = _jsonable(now)
        created = []
        if self.creates:
            ids = {}
            for chunk in _chunks(self.creates, 1000):
                ids.update(self.model.objects.filter(**{f"{self.key}__in": [c[1] for c in chunk]})
                           .values_list(self.key, "id"))
            names = [f.attname for f in self.insert_fields]
            for _n, key, params in self.creates:
                after = {"id": ids[key], **{n: _jsonable(v) for n, v in zip(names, params, strict=True)}}
                after.update(created_at=stamp_text, updated_at=stamp_text)
                created.append(after)
        updated = []
        names = [f.attname for f in self.update_fields]
        for _n, _pk, params, _r, before in self.updates:
            after = {**before, **{n: _jsonable(v) for n, v in zip(names, params, strict=True)},
                     "updated_at": stamp_text}
            if self.versioned:
                after["version"] = before["version"] + 1
            updated.append((before, after))
        self.creates, self.updates = [], []
        return created, updated
