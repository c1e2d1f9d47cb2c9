"""One audit chain per county (issue 19): a change is appended to the chain of the county the
acting user's organisation lies in, the system's to "root"; the chains interleave by id and
each verifies on its own; tampering with one chain is reported for that chain only."""
import pytest
from django.core.management import call_command
from django.db import connection

from citysafe.accounts.models import Organisation, User
from citysafe.core.audit import ROOT, chain_key, record_change, verify_chain, verify_chains
from citysafe.core.audit_models import AuditChainHead, AuditRecord
from citysafe.registry.models import Area


@pytest.fixture
def neighbour(world):
    """A second county (synthetic) with a township, its office and an officer."""
    county = Area.objects.create(code="622927", name="测试邻县", level="county", is_synthetic=True)
    township = Area.objects.create(code="622927100", name="测试邻县镇", level="township", parent=county,
                                   is_synthetic=True)
    office = Organisation.objects.create(kind=world.township_officer.organisation.kind, code="TEST-NB-1",
                                         name="测试邻县镇政府", area=township)
    return User.objects.create(username="neighbour_officer", role=world.township_officer.role, organisation=office)


def _county_code(world) -> str:
    return Area.objects.get(level="county").code if Area.objects.filter(level="county").count() == 1 else \
        world.township_a.parent.code


def _interleave(world, neighbour, rounds=4):
    for i in range(rounds):
        record_change(actor=world.township_officer, action="test", object_type="t.T", object_id=f"a{i}")
        record_change(actor=neighbour, action="test", object_type="t.T", object_id=f"b{i}")
        record_change(actor=None, action="test", object_type="t.T", object_id=f"c{i}")


def _tamper(record: AuditRecord) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditRecord._meta.db_table} SET note = %s WHERE id = %s", ["篡改", record.pk])


def test_a_change_goes_to_the_chain_of_the_actors_county(world, neighbour):
    home = world.township_a.parent
    while home.level != "county":
        home = home.parent
    assert chain_key(world.township_officer) == home.code
    assert chain_key(neighbour) == "622927"
    assert chain_key(None) == ROOT
    record = record_change(actor=neighbour, action="test", object_type="t.T", object_id="1")
    assert (record.chain, record.seq) == ("622927", 1)


def test_two_counties_chains_interleaved_by_id_each_verify(world, neighbour):
    _interleave(world, neighbour)
    ids = list(AuditRecord.objects.filter(object_type="t.T").order_by("pk").values_list("chain", flat=True))
    assert len(set(ids[:3])) == 3, "the chains' records are interleaved"
    reports = {report.chain: report for report in verify_chains()}
    assert {chain_key(world.township_officer), "622927", ROOT} <= set(reports)
    assert all(report.is_intact for report in reports.values()), reports
    assert reports["622927"].checked == 4
    assert verify_chain().is_intact


def test_tampering_with_one_county_is_reported_for_that_chain_only(world, neighbour, capsys):
    _interleave(world, neighbour)
    target = AuditRecord.objects.filter(chain="622927").order_by("seq")[1]
    _tamper(target)
    reports = {report.chain: report for report in verify_chains()}
    assert not reports["622927"].is_intact
    assert reports["622927"].first_broken_id == target.pk and reports["622927"].first_broken_seq == 2
    assert all(report.is_intact for key, report in reports.items() if key != "622927"), reports
    with pytest.raises(SystemExit) as exited:
        call_command("verify_audit")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert f"audit chain 622927: BROKEN at record #{target.pk}" in out
    assert f"audit chain {ROOT}: intact" in out


def test_a_record_deleted_from_one_chain_is_named_by_its_position(world, neighbour):
    _interleave(world, neighbour)
    target = AuditRecord.objects.filter(chain=ROOT).order_by("-seq")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE id = %s", [target.pk])
    reports = {report.chain: report for report in verify_chains()}
    assert reports[ROOT].first_broken_seq == target.seq and "missing" in reports[ROOT].reason
    assert reports["622927"].is_intact


def test_the_chain_existing_before_the_split_is_the_root_chain_and_still_verifies(world):
    # The session's records were written through the migrated schema: the pre-split head is "root".
    assert AuditChainHead.objects.filter(pk=1, key=ROOT).exists() or not AuditChainHead.objects.filter(pk=1).exists()
    assert verify_chain().is_intact


def test_the_single_chain_of_before_becomes_the_root_chain_and_still_verifies(transactional_world):
    """Migrate core back to before the split, write a chain as the old code did (ids 1..n, one
    head row), migrate forward: it is the "root" chain, verifies, and takes new records."""
    from types import SimpleNamespace

    from django.db.migrations.executor import MigrationExecutor

    from citysafe.core.audit import GENESIS, compute_hash

    before, after = ("core", "0002_workflow_toolkit_and_attachment_owner"), ("core", "0003_audit_chain_per_county")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table}")
        cursor.execute(f"DELETE FROM {AuditChainHead._meta.db_table}")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    OldRecord, OldHead = old.get_model("core", "AuditRecord"), old.get_model("core", "AuditChainHead")
    from django.utils import timezone

    prev = GENESIS
    for pk in range(1, 6):
        row = OldRecord(id=pk, at=timezone.now(), actor_label="system", channel="command", action="update",
                        object_type="t.T", object_id=str(pk), object_repr=f"旧记录{pk}", before=None,
                        after={"n": pk}, note="", prev_hash=prev)
        row.hash = compute_hash(SimpleNamespace(pk=pk, chain=ROOT, actor_id=None, **{
            f: getattr(row, f) for f in ("at", "actor_label", "channel", "action", "object_type", "object_id",
                                         "object_repr", "before", "after", "note")}), prev)
        row.save(force_insert=True)
        prev = row.hash
    OldHead.objects.create(pk=1, last_id=5, last_hash=prev, count=5)

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    report = {r.chain: r for r in verify_chains()}
    assert list(report) == [ROOT] and report[ROOT].is_intact and report[ROOT].checked == 5
    appended = record_change(actor=None, action="test", object_type="t.T", object_id="6")
    assert (appended.chain, appended.seq, appended.pk) == (ROOT, 6, 6)
    assert verify_chain().is_intact


def _in_thread(target):
    import threading

    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_writers_of_two_chains_do_not_wait_and_the_horizon_waits_for_both(transactional_world):
    """PostgreSQL (row locks): a county's writer holding its transaction open does not hold up
    a writer of another chain, but a reader of the committed horizon waits for it."""
    import threading
    import time

    from django.db import transaction

    from citysafe.core.audit import committed_horizon

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is nothing to run side by side")
    officer = transactional_world.township_officer
    for actor in (officer, None):  # both chains exist before the race
        record_change(actor=actor, action="test", object_type="t.T", object_id="0")
    holds, release, done = threading.Event(), threading.Event(), {}

    def county_writer():
        with transaction.atomic():
            done["county"] = record_change(actor=officer, action="test", object_type="t.T", object_id="1").pk
            holds.set()
            release.wait(20)

    def root_writer():
        done["root"] = record_change(actor=None, action="test", object_type="t.T", object_id="2").pk

    def reader():
        done["horizon"] = committed_horizon()

    threads = [_in_thread(county_writer)]
    assert holds.wait(20)
    threads.append(_in_thread(root_writer))
    threads[-1].join(10)
    assert "root" in done and done["root"] > done["county"], "the root chain's writer waited for the county's"
    threads.append(_in_thread(reader))
    time.sleep(0.5)
    assert "horizon" not in done, "the horizon was read past a record not yet committed"
    release.set()
    for thread in threads:
        thread.join(20)
    assert done["horizon"] >= done["root"] > done["county"]
