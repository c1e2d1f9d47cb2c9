"""Create a service account and API token for another government system."""
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from citysafe.accounts.models import User
from citysafe.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create an API token (prints the token once; only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--actor", required=True, help="username of the admin who issues the token")
        parser.add_argument("--name", required=True)
        parser.add_argument("--role", required=True)
        parser.add_argument("--organisation", type=int, dest="organisation_id")
        parser.add_argument("--grid", type=int, action="append", dest="grid_ids", default=[])
        parser.add_argument("--enterprise", type=int, dest="enterprise_id")
        parser.add_argument("--expires-days", type=int, dest="expires_days")

    def handle(self, *args, **options):
        try:
            actor = User.objects.get(username=options["actor"])
        except User.DoesNotExist:
            raise CommandError(f"no user {options['actor']!r}") from None
        expires_at = None
        if options["expires_days"]:
            expires_at = timezone.now() + timedelta(days=options["expires_days"])
        try:
            token, raw = create_api_token(
                actor, name=options["name"], role=options["role"], organisation_id=options["organisation_id"],
                grid_ids=options["grid_ids"], enterprise_id=options["enterprise_id"], expires_at=expires_at,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(f"{f}: {' '.join(m)}" for f, m in exc.message_dict.items())) from None
        self.stdout.write(f"token id {token.pk} for {token.user.username} ({token.user.role})")
        self.stdout.write("store this token now, it is not shown again:")
        self.stdout.write(raw)
