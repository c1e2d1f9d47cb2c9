"""The optional read replica (issue 19).

With `DATABASE_REPLICA_URL` set, settings add `DATABASES["replica"]` (a PostgreSQL streaming
replica, say). Heavy reads that may lag the primary by a moment — the dashboards, exports —
go there; everything else, and every write, stays on "default":

- `read_alias()` names the database for an explicit `.using(...)` (the export row streams);
- `replica_reads()` (context manager and decorator) routes every read made inside it to the
  replica through `ReplicaRouter` (the dashboard's many small selector queries), without each
  selector knowing. Writes inside it still go to "default" (the router says so explicitly, also
  for instances that were read from the replica).

Without a replica both answer "default", so a one-machine deployment changes nothing.
"""
import contextvars
from contextlib import contextmanager
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_reads_to: contextvars.ContextVar[str | None] = contextvars.ContextVar("citysafe_reads_to", default=None)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """"replica" when one is configured, else "default"."""
    return REPLICA if has_replica() else "default"


@contextmanager
def _routing():
    token = _reads_to.set(read_alias())
    try:
        yield
    finally:
        _reads_to.reset(token)


def replica_reads(function=None):
    """`with replica_reads(): …` or `@replica_reads`: reads inside go to `read_alias()`.
    Not for generators (the routing would leak to the consumer between items)."""
    if function is None:
        return _routing()

    @wraps(function)
    def wrapper(*args, **kwargs):
        with _routing():
            return function(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads inside `replica_reads` to the replica, writes always to
    "default", migrations only on "default" (the replica copies the primary's schema)."""

    def db_for_read(self, model, **hints):
        return _reads_to.get()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
