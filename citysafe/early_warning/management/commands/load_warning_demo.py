from django.core.management.base import BaseCommand

from citysafe.accounts.models import User
from citysafe.early_warning.demo import seed_warnings
from citysafe.early_warning.models import Warning


class Command(BaseCommand):
    help = "Demo warnings (after load_demo): a few published over the first townships. Runs once."

    def handle(self, *args, **options):
        if Warning.objects.exists():
            self.stdout.write("warnings exist: nothing loaded")
            return
        made = seed_warnings(User.objects.get(username="admin"))
        self.stdout.write(f"{len(made)} demo warnings")
