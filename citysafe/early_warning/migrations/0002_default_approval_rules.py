from django.db import migrations

# Red/orange by the county leader; yellow/blue also by the safety office or the department
# (an editable table: models.ApprovalRule, the admin site).
DEFAULTS = {1: ["leader"], 2: ["leader"], 3: ["leader", "admin", "department"], 4: ["leader", "admin", "department"]}


def seed(apps, schema_editor):
    rule = apps.get_model("early_warning", "ApprovalRule")
    for level, roles in DEFAULTS.items():
        rule.objects.get_or_create(level=level, defaults={"roles": roles})


class Migration(migrations.Migration):
    dependencies = [("early_warning", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
