"""`manage.py mqtt_ingest`: subscribe to the broker and store readings and vehicle positions
(citysafe/monitoring/mqtt_ingest.py). Defaults come from the MONITORING_MQTT_* settings.

One process:      manage.py mqtt_ingest --host broker --client-id citysafe-ingest
Several (shared): manage.py mqtt_ingest --host broker --share ingest --client-id citysafe-ingest-1  (…-2, …)
Take one away:    manage.py mqtt_ingest --host broker --share ingest --client-id citysafe-ingest-2 --leave
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel
from citysafe.monitoring.mqtt_ingest import Subscriber


class Command(BaseCommand):
    help = ("Subscribe to citysafe/v1/readings/# and citysafe/v1/positions/# (MQTT 5, QoS 1, persistent "
            "session, ack after commit) and store them; --share GROUP to split the load over several processes.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.MONITORING_MQTT_HOST)
        parser.add_argument("--port", type=int, default=settings.MONITORING_MQTT_PORT)
        parser.add_argument("--client-id", default=settings.MONITORING_MQTT_CLIENT_ID,
                            help="this process's persistent session; distinct for every process of a group")
        parser.add_argument("--share", default=settings.MONITORING_MQTT_SHARE,
                            help="shared-subscription group: $share/GROUP/citysafe/v1/… (several processes)")
        parser.add_argument("--session-expiry", type=int, default=settings.MONITORING_MQTT_SESSION_EXPIRY,
                            help="seconds the broker keeps this session (and its queued messages) while offline")
        parser.add_argument("--leave", action="store_true",
                            help="leave the group for good: unsubscribe, store what the session holds, end it")
        parser.add_argument("--max-messages", type=int, default=None)

    def handle(self, *args, **options):
        if options["share"] and options["client_id"] == "citysafe-ingest":
            raise CommandError("--share: give every process of the group its own --client-id "
                               "(e.g. citysafe-ingest-1, citysafe-ingest-2); one client id is one session")
        try:
            subscriber = Subscriber(options["host"], options["port"], options["client_id"], options["share"],
                                    session_expiry=options["session_expiry"],
                                    username=settings.MONITORING_MQTT_USERNAME,
                                    password=settings.MONITORING_MQTT_PASSWORD)
        except ValueError as error:
            raise CommandError(str(error)) from error
        with audit_channel(AuditChannel.WORKER):
            if options["leave"]:
                handled = subscriber.leave()
                self.stdout.write(f"left the group: {handled} queued messages stored, session ended")
                return
            subscriber.run(max_messages=options["max_messages"])
