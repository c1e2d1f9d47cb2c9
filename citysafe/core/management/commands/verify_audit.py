import sys

from django.core.management.base import BaseCommand

from citysafe.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; names the first broken link (exit code 1)."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.is_intact:
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} records verified"))
            return
        self.stdout.write(self.style.ERROR(
            f"audit chain BROKEN at record #{report.first_broken_id}: {report.reason} "
            f"({report.checked} records verified before it)"))
        sys.exit(1)
