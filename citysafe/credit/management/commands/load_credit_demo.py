from django.core.management.base import BaseCommand

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel


class Command(BaseCommand):
    help = "Load the credit demo (list entries, insurance, service agencies) after load_demo; idempotent."

    def handle(self, *args, **options):
        from citysafe.credit.demo import build_credit_demo

        with audit_channel(AuditChannel.COMMAND):
            counts = build_credit_demo()
        self.stdout.write("credit demo: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
