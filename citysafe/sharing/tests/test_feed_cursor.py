"""The change feed's cursor is an audit id: that is sound only if ids are handed out in commit
order. On PostgreSQL (row locks, concurrent writers) a second writer waits on the chain head
until the first commits, so it cannot take a lower id, nor commit an id below one a reader saw."""
import threading
import time

import pytest
from django.db import connection, transaction

from citysafe.core.audit import record_change
from citysafe.core.audit_models import AuditRecord


def test_audit_ids_are_handed_out_in_commit_order(transactional_world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: commit order is trivially id order")
    first_holds, release_first = threading.Event(), threading.Event()
    ids = {}

    def first():
        with transaction.atomic():
            ids["first"] = record_change(actor=None, action="test", object_type="t.T", object_id="1").pk
            first_holds.set()
            release_first.wait(10)
        connection.close()

    def second():
        first_holds.wait(10)
        with transaction.atomic():
            ids["second"] = record_change(actor=None, action="test", object_type="t.T", object_id="2").pk
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_holds.wait(10)
    time.sleep(0.5)
    assert "second" not in ids  # waiting for the first writer's commit
    assert not AuditRecord.objects.filter(pk=ids["first"]).exists()  # not committed: a reader's head is below it
    release_first.set()
    for thread in threads:
        thread.join(10)
    assert ids["second"] == ids["first"] + 1
