"""An index on the audit trail for the change feed: "records of type T after id C, by id".

The audit model belongs to core, which knows nothing of the feed; the index is the feed's
need, so it is created here (plain SQL valid on SQLite and PostgreSQL) rather than by a
core migration. Without it PostgreSQL walks the primary key filtering on object_type, which
is slow for a rarely changed resource."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial"), ("core", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS sharing_audit_type_id ON core_auditrecord (object_type, id)",
            "DROP INDEX IF EXISTS sharing_audit_type_id",
        ),
    ]
