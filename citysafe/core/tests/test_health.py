"""/healthz reports database, queue and storage; 503 names what is broken (the figures and
names only to a signed-in administrator; anonymous callers get ok / error)."""
import pytest
from django_tasks_db.models import DBTaskResult

from citysafe.notifications.tasks import deliver_notifications


@pytest.fixture
def client(client, django_user_model):
    from citysafe.core.roles import Role

    admin = django_user_model.objects.filter(role=Role.ADMIN, is_active=True, is_service_account=False).first()
    if admin is None:  # a transactional test may run after another one flushed the county
        admin = django_user_model.objects.create_user(username="health_admin", role=Role.ADMIN)
    client.force_login(admin)
    return client


def test_healthz_is_ok_and_reports_the_queue_backlog(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    DBTaskResult.objects.all().delete()
    deliver_notifications.enqueue()
    deliver_notifications.enqueue()

    response = client.get("/healthz")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok" and report["failing"] == []
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["queue"]["ready"] == 2
    assert report["checks"]["queue"]["oldest_ready_age_seconds"] >= 0
    assert report["checks"]["storage"] == {"ok": True}
    assert list(tmp_path.rglob("*.txt")) == []  # the probe file is cleaned up


def test_healthz_names_broken_storage_with_503(client, db, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"

    response = client.get("/healthz")

    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "error" and report["failing"] == ["storage"]
    assert report["checks"]["storage"]["ok"] is False and report["checks"]["storage"]["error"]
    assert report["checks"]["database"]["ok"] is True


def test_healthz_names_an_unreadable_task_table_with_503(client, transactional_db, settings, tmp_path):
    from django.db import connection

    settings.MEDIA_ROOT = tmp_path
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert response.status_code == 503
    assert response.json()["failing"] == ["queue"]
