"""PostgreSQL: make the raw reading table natively partitioned by time (RANGE on ts, one
partition a day, created on demand by services/partitions.py; retention drops partitions).
The primary key (sensor_id, ts) includes the partition key, as PostgreSQL requires, and is the
idempotency key of ingestion. SQLite keeps 0001's plain table with the same columns and key."""
from django.db import migrations

PARTITIONED = """
DROP TABLE monitoring_reading;
CREATE TABLE monitoring_reading (
    sensor_id bigint NOT NULL,
    ts timestamptz NOT NULL,
    value double precision NOT NULL,
    PRIMARY KEY (sensor_id, ts)
) PARTITION BY RANGE (ts);
CREATE INDEX reading_ts ON monitoring_reading (ts);
"""
PLAIN = """
DROP TABLE monitoring_reading;
CREATE TABLE monitoring_reading (
    sensor_id bigint NOT NULL,
    ts timestamptz NOT NULL,
    value double precision NOT NULL,
    PRIMARY KEY (sensor_id, ts)
);
CREATE INDEX reading_ts ON monitoring_reading (ts);
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(_run(PARTITIONED), _run(PLAIN))]
