from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from citysafe.core.roles import Role
from citysafe.registry.models import Area
from citysafe.risks.map.printing import render_for
from citysafe.risks.map.render import FontMissing


class Command(BaseCommand):
    help = ("Render the four-colour risk map (county, or one township by its code) to PNG or PDF with title, "
            "legend, north arrow, scale bar and date, as a user sees it (default: the county office admin).")

    def add_arguments(self, parser):
        parser.add_argument("--township", default="", help="township area code (default: the whole county)")
        parser.add_argument("--format", choices=["png", "pdf"], default=None, help="default: from the file name")
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--user", default="", help="username whose scope the map shows (default: an admin)")

    def handle(self, *args, **options):
        path = Path(options["output"])
        fmt = options["format"] or path.suffix.lower().lstrip(".")
        if fmt not in ("png", "pdf"):
            raise CommandError("--format must be png or pdf (or give the file a .png / .pdf name)")
        users = get_user_model().objects.filter(is_active=True, is_service_account=False)
        user = (users.filter(username=options["user"]) if options["user"] else
                users.filter(role=Role.ADMIN).order_by("id")).first()
        if user is None:
            raise CommandError(f"no active user {options['user'] or '(admin)'}")
        township = None
        if options["township"]:
            township = Area.objects.filter(level=Area.Level.TOWNSHIP, code=options["township"],
                                           archived_at__isnull=True).first()
            if township is None:
                raise CommandError(f"no township with code {options['township']!r}")
        try:
            content, _name = render_for(user, fmt=fmt, filters={}, township=township)
        except FontMissing as error:
            raise CommandError(str(error)) from None
        path.write_bytes(content)
        self.stdout.write(f"{path} ({len(content)} bytes)")
