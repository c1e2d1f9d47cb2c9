from django.core.management.base import BaseCommand

from citysafe.construction.demo import build_construction_demo
from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel


class Command(BaseCommand):
    help = "Load demo construction projects, high-danger works and work permits in the county seat (after load_demo)."

    def handle(self, *args, **options):
        with audit_channel(AuditChannel.COMMAND):
            counts = build_construction_demo()
        self.stdout.write(self.style.SUCCESS("construction demo: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
