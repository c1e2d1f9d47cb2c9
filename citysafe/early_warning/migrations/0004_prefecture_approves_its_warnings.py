from django.db import migrations


def add_prefecture(apps, schema_editor):
    """The prefecture office approves the warnings it issues itself, of every level (core.scope
    lets it write no county's warning, so this gives it no say over a county's)."""
    rule = apps.get_model("early_warning", "ApprovalRule")
    for row in rule.objects.all():
        if "prefecture" not in row.roles:
            row.roles = [*row.roles, "prefecture"]
            row.save(update_fields=["roles"])


class Migration(migrations.Migration):
    dependencies = [("early_warning", "0003_danger_report_forwarding")]
    operations = [migrations.RunPython(add_prefecture, migrations.RunPython.noop)]
