from django.core.management.base import BaseCommand

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.siting.demo import build_siting_demo


class Command(BaseCommand):
    help = "Load demo safety-distance conflicts near demo gas stations (after load_demo and load_risk_demo; idempotent)."

    def handle(self, *args, **options):
        with audit_channel(AuditChannel.COMMAND):
            counts = build_siting_demo()
        self.stdout.write(self.style.SUCCESS("siting demo: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
