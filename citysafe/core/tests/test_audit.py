from django.core.management import call_command
from django.db import connection

from citysafe.core.audit import record_change, verify_chain
from citysafe.core.audit_models import AuditRecord
from citysafe.registry import services


def _make_changes(world, n=3):
    for i in range(n):
        services.update_enterprise(world.admin, world.enterprise_in_a.pk, {"address": f"测试地址{i}号"})


def test_every_service_change_is_audited_with_before_and_after(world):
    before_count = AuditRecord.objects.count()
    services.update_enterprise(world.admin, world.enterprise_in_a.pk, {"address": "锁南镇新地址1号"})
    record = AuditRecord.objects.order_by("-id").first()
    assert AuditRecord.objects.count() == before_count + 1
    assert record.action == "update" and record.object_type == "registry.Enterprise"
    assert record.after["address"] == "锁南镇新地址1号"
    assert record.before["address"] != record.after["address"]
    assert record.actor_id == world.admin.pk


def test_chain_verifies_when_untouched(world):
    _make_changes(world)
    report = verify_chain()
    assert report.is_intact, report


def test_verify_names_a_record_altered_directly_in_the_database(world, capsys):
    _make_changes(world, 4)
    target = AuditRecord.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditRecord._meta.db_table} SET note = %s WHERE id = %s", ["篡改", target.pk])
    report = verify_chain()
    assert report.first_broken_id == target.pk
    try:
        call_command("verify_audit")
    except SystemExit as exc:
        assert exc.code == 1
    assert f"#{target.pk}" in capsys.readouterr().out


def test_verify_notices_a_deleted_record(world):
    _make_changes(world, 4)
    target = AuditRecord.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE id = %s", [target.pk])
    report = verify_chain()
    # Ids are shared by the county chains: a gap is named by its position in the record's chain.
    assert (report.chain, report.first_broken_seq) == (target.chain, target.seq) and "missing" in report.reason


def test_verify_notices_records_cut_off_the_end(world):
    _make_changes(world, 3)
    last = AuditRecord.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE id = %s", [last.pk])
    assert not verify_chain().is_intact


def test_audit_records_refuse_update_through_the_orm(world):
    record = record_change(actor=world.admin, action="test", object_type="x", object_id="1", object_repr="x")
    record.note = "changed"
    try:
        record.save()
    except PermissionError:
        pass
    else:
        raise AssertionError("audit record was updated")
