"""The planner statistics job: SQLite gets ANALYZE (else a map view walks the wrong index)."""
import pytest
from django.core.management import call_command
from django.db import connection

from citysafe.core.tasks import refresh_query_statistics
from citysafe.registry.models import Place


@pytest.mark.django_db
def test_the_job_gives_sqlite_statistics_for_the_place_indexes_and_leaves_postgresql_to_autovacuum(capsys):
    outcome = refresh_query_statistics.call()
    if connection.vendor != "sqlite":
        assert outcome == {"analyzed": False, "reason": connection.vendor}
        return
    assert outcome["analyzed"] is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [Place._meta.db_table])
        assert cursor.fetchone()[0] > 0
    call_command("analyze_database")
    assert "analyzed=True" in capsys.readouterr().out
