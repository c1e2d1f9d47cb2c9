from django.core.management.base import BaseCommand, CommandError

from citysafe.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Back up the database to a file (SQLite: online backup; PostgreSQL: pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, database, **options):
        try:
            path = backup_database(file, database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size} bytes)")
