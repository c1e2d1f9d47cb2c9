from django.core.management.base import BaseCommand

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.hazards.demo import build_hazard_demo


class Command(BaseCommand):
    help = "Load demo hazards, public reports and rewards (after load_demo and load_risk_demo; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--hazards", type=int, default=300)

    def handle(self, *args, **options):
        with audit_channel(AuditChannel.COMMAND):
            counts = build_hazard_demo(options["hazards"])
        self.stdout.write(self.style.SUCCESS("hazard demo: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
