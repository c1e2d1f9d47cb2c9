"""Revoke an API token by id."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from citysafe.accounts.models import ApiToken, User
from citysafe.accounts.services import revoke_api_token


class Command(BaseCommand):
    help = "Revoke an API token; requests with it get 401 from then on."

    def add_arguments(self, parser):
        parser.add_argument("token_id", type=int)
        parser.add_argument("--actor", required=True, help="username of the admin who revokes the token")

    def handle(self, *args, **options):
        try:
            actor = User.objects.get(username=options["actor"])
            token = revoke_api_token(actor, options["token_id"])
        except (User.DoesNotExist, ApiToken.DoesNotExist) as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(" ".join(m) for m in exc.message_dict.values())) from None
        self.stdout.write(f"revoked token {token.pk} ({token.prefix}…)")
