from django.core.management.base import BaseCommand

from citysafe.assessment.demo_counties import build_prefecture_assessment_demo
from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel


class Command(BaseCommand):
    help = ("Load the prefecture's assessment of its counties (after load_second_county): the counties' "
            "self-assessments and this year's county assessment, scored and published (idempotent).")

    def handle(self, *args, **options):
        with audit_channel(AuditChannel.COMMAND):
            counts = build_prefecture_assessment_demo()
        self.stdout.write(self.style.SUCCESS("prefecture assessment demo: "
                                             + ", ".join(f"{k}={v}" for k, v in counts.items())))
