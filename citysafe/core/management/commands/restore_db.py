from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from citysafe.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Replace the database contents with a backup made by backup_db. Stop web server and workers first."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup written by backup_db.")
        parser.add_argument("--database", default="default")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Do not ask for confirmation.")

    def handle(self, *args, file, database, interactive, **options):
        name = connections[database].settings_dict["NAME"]
        if interactive:
            answer = input(f"This replaces ALL data in database {name!r} with {file}. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore_database(file, database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Database {name!r} restored from {file}")
