"""`manage.py mqtt_ingest`: subscribe to the broker and store readings (citysafe/monitoring/mqtt_ingest.py)."""
import os

from django.core.management.base import BaseCommand

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.monitoring.mqtt_ingest import Subscriber


class Command(BaseCommand):
    help = "Subscribe to citysafe/v1/readings/# (QoS 1, manual ack after commit) and store the readings."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MONITORING_MQTT_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("MONITORING_MQTT_PORT", "1883")))
        parser.add_argument("--client-id", default=os.environ.get("MONITORING_MQTT_CLIENT_ID", "citysafe-ingest"))
        parser.add_argument("--share", default="", help="shared-subscription group (several subscribers)")
        parser.add_argument("--max-messages", type=int, default=None)

    def handle(self, *args, **options):
        with audit_channel(AuditChannel.WORKER):
            Subscriber(options["host"], options["port"], options["client_id"], options["share"]).run(
                max_messages=options["max_messages"])
