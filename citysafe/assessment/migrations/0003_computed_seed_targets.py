"""Two of the seed policy's targets are measured from platform data (services/target_metrics.py):
二（八）六 waterlogging points fixed from the flood/drainage hazards closed, 二（七） the four-colour
risk map from its publication (citysafe.risks)."""
from django.db import migrations

COMPUTED = {"ZC-2-8-6": "flood_points_fixed", "ZC-2-7-1": "risk_map_published"}


def forwards(apps, schema_editor):
    PolicyTarget = apps.get_model("assessment", "PolicyTarget")
    for code, metric in COMPUTED.items():
        PolicyTarget.objects.filter(code=code).update(measure="computed", metric=metric)


def backwards(apps, schema_editor):
    PolicyTarget = apps.get_model("assessment", "PolicyTarget")
    PolicyTarget.objects.filter(code__in=list(COMPUTED)).update(measure="reported", metric="")


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_seed_targets_and_city_items")]
    operations = [migrations.RunPython(forwards, backwards)]
