"""Seed the holiday table from the State Council notices of 2025 and 2026 (holidays.py); the
county edits it afterwards on the holiday page."""
from django.db import migrations


def seed(apps, schema_editor):
    from citysafe.enforcement.holidays import seed_rows

    Holiday = apps.get_model("enforcement", "Holiday")
    existing = set(Holiday.objects.values_list("day", flat=True))
    Holiday.objects.bulk_create([Holiday(day=day, kind=kind, name=name, note=note)
                                 for day, kind, name, note in seed_rows() if day not in existing])


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
