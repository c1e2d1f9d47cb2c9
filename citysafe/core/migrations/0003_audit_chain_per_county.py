"""One audit hash chain per county (issue 19). The existing single chain becomes the chain
named "root" (system actions keep appending to it): every record keeps its hash, gets
chain="root" and seq=id (the old chain's ids ran 1..n without gaps, which `verify_audit`
checked), so it still verifies. Record ids now come from the table's own sequence (they
were written explicitly before), which is moved past the highest id on PostgreSQL."""
from django.db import migrations, models


def number_existing(apps, schema_editor):
    AuditRecord = apps.get_model("core", "AuditRecord")
    AuditRecord.objects.using(schema_editor.connection.alias).update(seq=models.F("id"))


def name_existing_heads(apps, schema_editor):
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    for head in AuditChainHead.objects.using(schema_editor.connection.alias).all():
        head.key = "root" if head.pk == 1 else f"legacy-{head.pk}"
        head.save(update_fields=["key"])


def move_id_sequence(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT already follows the highest id written
    table = apps.get_model("core", "AuditRecord")._meta.db_table
    with connection.cursor() as cursor:
        sql = (f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 0) + 1, false) "  # noqa: S608
               f"FROM {connection.ops.quote_name(table)}")  # the model's own table name
        cursor.execute(sql, [table])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_workflow_toolkit_and_attachment_owner"),
    ]

    operations = [
        migrations.AddField(model_name="auditrecord", name="chain",
                            field=models.CharField(default="root", max_length=32, verbose_name="审计链")),
        migrations.AddField(model_name="auditrecord", name="seq",
                            field=models.BigIntegerField(null=True, verbose_name="链内序号")),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(model_name="auditrecord", name="seq",
                              field=models.BigIntegerField(verbose_name="链内序号")),
        migrations.AddConstraint(model_name="auditrecord",
                                 constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_record_chain_seq")),
        migrations.AddField(model_name="auditchainhead", name="key",
                            field=models.CharField(max_length=32, null=True, verbose_name="审计链")),
        migrations.RunPython(name_existing_heads, migrations.RunPython.noop),
        migrations.AlterField(model_name="auditchainhead", name="key",
                              field=models.CharField(max_length=32, unique=True, verbose_name="审计链")),
        migrations.RunPython(move_id_sequence, migrations.RunPython.noop),
    ]
