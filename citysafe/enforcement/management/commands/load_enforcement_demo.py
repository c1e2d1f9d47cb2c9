from django.core.management.base import BaseCommand

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.enforcement.demo import build_enforcement_demo


class Command(BaseCommand):
    help = "Load demo inspection records and enforcement cases (after load_demo and load_laws; idempotent)."

    def handle(self, *args, **options):
        with audit_channel(AuditChannel.COMMAND):
            counts = build_enforcement_demo()
        self.stdout.write(self.style.SUCCESS("enforcement demo: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
