from django.core.management.base import BaseCommand

from citysafe.core.tasks import refresh_query_statistics


class Command(BaseCommand):
    help = ("Refresh the database's query statistics now (SQLite: ANALYZE; PostgreSQL: nothing, autovacuum "
            "does it). `make demo` runs it after loading; the scheduler runs it nightly.")

    def handle(self, *args, **options):
        outcome = refresh_query_statistics.call()
        self.stdout.write(", ".join(f"{key}={value}" for key, value in outcome.items()))
