from django.core.management.base import BaseCommand

from citysafe.accounts.models import User
from citysafe.assessment.demo import build_assessment_demo
from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel


class Command(BaseCommand):
    help = ("Load demo accidents, base figures, target progress, this year's scored assessments and the "
            "demonstration-city self-assessment (after load_demo and the other apps' demos; idempotent).")

    def handle(self, *args, **options):
        admin = User.objects.get(username="admin")
        with audit_channel(AuditChannel.COMMAND):
            counts = build_assessment_demo(admin)
        self.stdout.write(self.style.SUCCESS("assessment demo: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
