from django.db import migrations


def forwards(apps, schema_editor):
    from citysafe.knowledge.search.backends import drop_index_foreign_key

    drop_index_foreign_key(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
