"""The assessment tables that had no county belonged to the deployment's only county: their
rows go to the home county (the first county, lowest id). On an empty database (no county yet)
nothing changes; rows without a county are the home county's for core.scope as well."""
from django.db import migrations

TABLES = ("IndicatorSystem", "CityItem", "CitySelfAssessment", "BaseFigure")


def fill(apps, schema_editor):
    Area = apps.get_model("registry", "Area")
    home = Area.objects.filter(level="county").order_by("pk").values_list("pk", flat=True).first()
    if home is None:
        return
    for name in TABLES:
        model = apps.get_model("assessment", name)
        rows = model.objects.filter(county__isnull=True)
        if name == "IndicatorSystem":
            rows = rows.filter(issuer__isnull=True)
        rows.update(county_id=home)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0005_county_rows")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
