from django.core.management.base import BaseCommand

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.supervision.demo import build_supervision_demo


class Command(BaseCommand):
    help = ("Load demo supervision data: enterprise classes, the 应急管理局's roster, annual plan and one random "
            "draw (after load_demo, load_risk_demo and load_hazard_demo; idempotent).")

    def handle(self, *args, **options):
        with audit_channel(AuditChannel.COMMAND):
            counts = build_supervision_demo()
        self.stdout.write(self.style.SUCCESS("supervision demo: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
