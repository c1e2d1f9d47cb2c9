"""Health checks for /healthz: database, task queue, file storage.

Each check returns a dict with "ok" and figures; a check that raises is reported failed
with the error, so one broken part never hides the state of the others.

Anonymous callers (load balancers, monitoring) learn only ok / not ok; the figures and error
texts (database vendor, queue backlog, storage errors) are for a signed-in administrator.
"""
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_queue() -> dict:
    # Readable task table, backlog size and the age of the oldest waiting job: a growing
    # age means no worker is running (or workers cannot keep up).
    from citysafe.core.taskqueue import uses_redis, waiting_count

    if uses_redis():  # Redis answers (a refused connection fails the check) and its backlog
        return {"ok": True, "backend": "redis", "ready": waiting_count()}
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"ok": True, "ready": ready.count(), "oldest_ready_age_seconds": round(max(age, 0.0), 1)}


def check_storage() -> dict:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise OSError("storage returned different content than written")
    finally:
        default_storage.delete(name)
    return {"ok": True}


CHECKS = {"database": check_database, "queue": check_queue, "storage": check_storage}


def run_checks() -> dict:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a health check reports failures, it does not raise them
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    failing = [name for name, result in results.items() if not result["ok"]]
    return {"status": "ok" if not failing else "error", "failing": failing, "checks": results}


def may_see_details(user) -> bool:
    from citysafe.core.roles import Role

    try:
        return bool(user.is_authenticated and user.is_active and user.role == Role.ADMIN)
    except Exception:  # the session store is the database: when it is down, show no details
        return False


def health_report(user) -> tuple[int, dict]:
    """(HTTP status, body) for /healthz as `user` may see it: 200 ok, 503 error."""
    report = run_checks()
    status = 200 if report["status"] == "ok" else 503
    return status, report if may_see_details(user) else {"status": report["status"]}
