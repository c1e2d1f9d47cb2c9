"""The system actor (core.workflow.system): the account scheduled jobs and sensors act as.
Role admin for a county-wide scope; a service account with no usable password, so it can
never sign in to the pages; shown as 系统."""
from django.contrib.auth.hashers import make_password
from django.db import migrations


def create_system_user(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.get_or_create(username="system", defaults={
        "first_name": "系统", "role": "admin", "is_service_account": True, "is_active": True,
        "is_staff": False, "is_superuser": False, "password": make_password(None),
    })


def remove_system_user(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(username="system", is_service_account=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_record_version"),
    ]

    operations = [
        migrations.RunPython(create_system_user, remove_system_user),
    ]
