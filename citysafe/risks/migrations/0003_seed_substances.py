"""Seed the hazardous-substance catalogue from kernels.major_hazard.SUBSTANCES (GB 18218-2018
表1/表2 values, STANDARDS.md). Read when the migration runs; the county edits the rows after."""
from django.db import migrations

SOURCE = "GB 18218-2018《危险化学品重大危险源辨识》"


def seed(apps, schema_editor):
    from kernels.major_hazard import SUBSTANCES

    Substance = apps.get_model("risks", "Substance")
    existing = set(Substance.objects.values_list("name", flat=True))
    Substance.objects.bulk_create([
        Substance(name=row["name"], cas=row.get("cas") or "", hazard_class=row.get("hazard_class") or "",
                  critical_quantity=float(row["critical_t"]), beta=float(row.get("beta") or 1.0), source=SOURCE)
        for row in SUBSTANCES if row["name"] not in existing])


def unseed(apps, schema_editor):
    apps.get_model("risks", "Substance").objects.filter(source=SOURCE, inventories__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("risks", "0002_seed_standards")]
    operations = [migrations.RunPython(seed, unseed)]
