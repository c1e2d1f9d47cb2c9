"""`manage.py generate_reports [--date YYYY-MM-DD]`: what the scheduled job does on that day
(last month's reports, and on 1 January last year's, for the county, every township and every
department), now — e.g. after `make demo`, to have the demo county's reports at hand."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from citysafe.dashboard.tasks import generate_due_reports


class Command(BaseCommand):
    help = "Generate the periodic safety reports due on a day (default: the reports due on the 1st of this month)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day the job runs as (YYYY-MM-DD); default the 1st of this month")

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else date.today().replace(day=1)
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        made = generate_due_reports(day)
        self.stdout.write(f"{made} reports generated")
