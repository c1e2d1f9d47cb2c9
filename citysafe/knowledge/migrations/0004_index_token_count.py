from django.db import migrations


def forwards(apps, schema_editor):
    from citysafe.knowledge.search.backends import add_token_count

    add_token_count(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_index_without_foreign_key")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
