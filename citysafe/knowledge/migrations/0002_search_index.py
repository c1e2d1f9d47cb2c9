from django.db import migrations


def create(apps, schema_editor):
    from citysafe.knowledge.search.backends import create_index_tables

    create_index_tables(schema_editor)


def drop(apps, schema_editor):
    from citysafe.knowledge.search.backends import drop_index_tables

    drop_index_tables(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
