"""`manage.py simulate_sensors`: feed realistic readings for every demo sensor (with excursions
and dropouts) over HTTP (default, to --url) or MQTT (--mqtt host:port), as each sensor's
gateway, with the tokens load_monitoring_demo wrote to var/monitoring_tokens.json."""
import json
import time
import urllib.request
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError

from citysafe.monitoring.demo.build import tokens_file
from citysafe.monitoring.models import Gateway, Sensor
from citysafe.monitoring.simulator import SimSensor, Simulator


class Command(BaseCommand):
    help = "Send simulated readings for the demo sensors (run load_monitoring_demo first)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/api/v1/ingest/readings")
        parser.add_argument("--mqtt", default="", help="host:port of the broker (instead of HTTP)")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between ticks")
        parser.add_argument("--ticks", type=int, default=0, help="stop after this many ticks (0: run for ever)")

    def _tokens(self) -> dict:
        path = tokens_file()
        if not path.exists():
            raise CommandError("var/monitoring_tokens.json missing: run manage.py load_monitoring_demo first")
        return json.loads(path.read_text())

    def after_tick(self, options, publisher, tokens, t: float) -> None:
        """Hook for more devices per tick (simulate_monitoring adds vehicles)."""

    def handle(self, *args, **options):
        tokens = self._tokens()
        gateways = dict(Gateway.objects.filter(code__in=tokens).values_list("pk", "code"))
        by_gateway, sims = defaultdict(list), []
        for code, kind, low, high, gw, cap in Sensor.objects.filter(gateway_id__in=gateways, archived_at__isnull=True) \
                .values_list("code", "sensor_type", "range_min", "range_max", "gateway_id", "place__capacity"):
            sims.append(SimSensor(code, kind, low, high, cap))
            by_gateway[code] = gateways[gw]
        simulator = Simulator(sims)
        publisher = None
        if options["mqtt"]:
            import paho.mqtt.client as mqtt
            host, _, port = options["mqtt"].partition(":")
            publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="citysafe-simulator")
            publisher.connect(host, int(port or 1883))
            publisher.loop_start()
        self.stdout.write(f"simulating {len(sims)} sensors of {len(gateways)} gateways every {options['interval']} s")
        tick = 0
        while not options["ticks"] or tick < options["ticks"]:
            batches, now = defaultdict(list), time.time()
            for code, ts, value in simulator.tick(now):
                batches[by_gateway[code]].append({"sensor": code, "ts": ts, "value": value})
            for gateway_code, readings in batches.items():
                self._send(options, publisher, gateway_code, tokens[gateway_code], readings)
            self.after_tick(options, publisher, tokens, now)
            tick += 1
            time.sleep(options["interval"])

    def _send(self, options, publisher, gateway_code, token, readings):
        if publisher is not None:
            publisher.publish(f"citysafe/v1/readings/{gateway_code}", json.dumps({"token": token, "readings": readings}),
                              qos=1)
            return
        self._post(options["url"], gateway_code, token, readings)

    def _post(self, url, gateway_code, token, items):
        request = urllib.request.Request(url, data=json.dumps(items).encode(), headers={  # noqa: S310
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the operator's http URL)
                answer = json.loads(response.read())
            if answer.get("rejected"):
                self.stderr.write(f"{gateway_code}: {answer['rejected']} rejected {answer['reasons']}")
        except OSError as exc:
            self.stderr.write(f"{gateway_code}: {exc}")
