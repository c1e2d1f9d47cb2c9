from django.core.management.base import BaseCommand

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.risks.demo import build_risk_demo


class Command(BaseCommand):
    help = "Load demo risk points, assessments, measures and major hazard installations (after load_demo; idempotent)."

    def handle(self, *args, **options):
        with audit_channel(AuditChannel.COMMAND):
            counts = build_risk_demo()
        self.stdout.write(self.style.SUCCESS("risk demo: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
