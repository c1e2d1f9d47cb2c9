from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from citysafe.registry.io.kinds import IMPORTABLE
from citysafe.registry.io.templates import build_template


class Command(BaseCommand):
    help = "Write the Excel import template (headers, 说明 sheet, drop-downs) of one registry kind."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=IMPORTABLE)
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError("the template file must end in .xlsx")
        path.write_bytes(build_template(options["kind"]))
        self.stdout.write(self.style.SUCCESS(f"template written: {path}"))
