from django.db import migrations, models


class Migration(migrations.Migration):
    """The enterprise list ordered by name pages by keyset on (name, id) (core/keyset.py); the
    places layer's zoomed-out GROUP BY reads a covering index instead of the table (issue 19)."""

    dependencies = [
        ("registry", "0007_map_lonlat_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(condition=models.Q(("archived_at__isnull", True)), fields=["name", "id"],
                               name="enterprise_active_name_id"),
        ),
        migrations.RemoveIndex(model_name="place", name="place_active_lonlat"),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(condition=models.Q(("archived_at__isnull", True)),
                               fields=["lon", "lat", "place_type", "township"], name="place_active_lonlat_cover"),
        ),
    ]
