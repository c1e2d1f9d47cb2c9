"""backup_db / restore_db round trip on the database the suite runs on."""
import pytest
from django.core.management import CommandError, call_command

from citysafe.notifications.models import Notification
from citysafe.notifications.services import notify
from citysafe.registry.models import Enterprise
from citysafe.registry.services import update_enterprise


@pytest.mark.slow
def test_restore_brings_back_the_data_as_it_was_at_backup(transactional_world, tmp_path):
    world = transactional_world
    enterprise = world.enterprise_in_a
    name_at_backup = enterprise.name
    enterprises_at_backup = Enterprise.objects.count()
    backup = tmp_path / "nightly" / "citysafe.backup"

    call_command("backup_db", str(backup))
    assert backup.is_file() and backup.stat().st_size > 0

    update_enterprise(world.admin, enterprise.pk, {"name": "备份之后改的名字"})
    notify(world.admin, kind="test", subject="备份之后的通知")
    assert Enterprise.objects.get(pk=enterprise.pk).name == "备份之后改的名字"

    call_command("restore_db", str(backup), "--noinput")

    assert Enterprise.objects.get(pk=enterprise.pk).name == name_at_backup
    assert Enterprise.objects.count() == enterprises_at_backup
    assert not Notification.objects.filter(subject="备份之后的通知").exists()
    # The restored database is a working one: writes go on from there.
    update_enterprise(world.admin, enterprise.pk, {"name": "恢复之后改的名字"})
    assert Enterprise.objects.get(pk=enterprise.pk).name == "恢复之后改的名字"


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "not-a-backup.bin"
    bogus.write_bytes(b"this is not a database dump" * 100)
    with pytest.raises(CommandError):
        call_command("restore_db", str(bogus), "--noinput")
    with pytest.raises(CommandError):
        call_command("restore_db", str(tmp_path / "missing.backup"), "--noinput")
