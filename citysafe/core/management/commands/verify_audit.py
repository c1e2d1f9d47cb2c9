import sys

from django.core.management.base import BaseCommand

from citysafe.core.audit import verify_chains


class Command(BaseCommand):
    help = ("Verify the hash chains of the audit trail (one per county, and root); one line per chain, "
            "naming the first broken link (exit code 1 if any chain is broken).")

    def handle(self, *args, **options):
        reports = verify_chains()
        for report in reports:
            if report.is_intact:
                self.stdout.write(self.style.SUCCESS(
                    f"audit chain {report.chain}: intact, {report.checked} records verified"))
                continue
            where = f"record #{report.first_broken_id}" if report.first_broken_id is not None else "its end"
            self.stdout.write(self.style.ERROR(
                f"audit chain {report.chain}: BROKEN at {where} (position {report.first_broken_seq}): "
                f"{report.reason} ({report.checked} records verified before it)"))
        total = sum(report.checked for report in reports)
        if any(not report.is_intact for report in reports):
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"audit chains intact: {len(reports)} chains, {total} records verified"))
