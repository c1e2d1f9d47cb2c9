from django.db import migrations, models


class Migration(migrations.Migration):
    """The enterprise list ordered by name pages by keyset on (name, id) (core/keyset.py)."""

    dependencies = [
        ("registry", "0007_map_lonlat_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(condition=models.Q(("archived_at__isnull", True)), fields=["name", "id"],
                               name="enterprise_active_name_id"),
        ),
    ]
