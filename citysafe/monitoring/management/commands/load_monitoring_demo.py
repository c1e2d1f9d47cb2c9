"""Demo sensors, gateways and video points (after load_demo); writes the gateways' tokens to
var/monitoring_tokens.json for simulate_sensors (a demo convenience; real tokens are shown once)."""
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.monitoring.demo.build import build_monitoring_demo, tokens_file


class Command(BaseCommand):
    help = "Create demo monitoring devices for the demo county (run after load_demo)."

    def handle(self, *args, **options):
        admin = get_user_model().objects.get(username="admin")
        with audit_channel(AuditChannel.COMMAND):
            tokens = build_monitoring_demo(admin, verbose=self.stdout.write)
        path = tokens_file()
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(tokens))
        path.chmod(0o600)
