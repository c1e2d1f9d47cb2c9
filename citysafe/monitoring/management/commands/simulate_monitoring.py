"""`manage.py simulate_monitoring`: the demo's live data — readings of every demo sensor (as
simulate_sensors) and positions of every demo vehicle (两客一危, driving their approved routes
with occasional speeding, detours and silences), sent as each device's gateway over HTTP
(default: --url, the readings endpoint; positions go to …/positions beside it) or MQTT
(--mqtt host:port: citysafe/v1/readings/<gateway> and citysafe/v1/positions/<gateway>),
with the tokens load_monitoring_demo wrote to var/monitoring_tokens.json."""
import json
from collections import defaultdict

from citysafe.monitoring.management.commands.simulate_sensors import Command as SensorCommand
from citysafe.monitoring.models import Gateway, Vehicle
from citysafe.monitoring.simulator import SimVehicle, VehicleSimulator


class Command(SensorCommand):
    help = "Send simulated sensor readings and vehicle positions (run load_monitoring_demo first)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-vehicles", action="store_true", help="sensor readings only")

    def handle(self, *args, **options):
        self.vehicles = None
        if not options["no_vehicles"]:
            tokens = self._tokens()
            gateways = dict(Gateway.objects.filter(code__in=tokens).values_list("pk", "code"))
            rows = Vehicle.objects.filter(gateway_id__in=gateways, archived_at__isnull=True).values_list(
                "code", "route", "speed_limit", "gateway_id")
            self.vehicle_gateway = {code: gateways[gw] for code, _route, _limit, gw in rows}
            self.vehicles = VehicleSimulator([SimVehicle(code, route or [], limit or 60) for code, route, limit, _gw in rows])
            self.stdout.write(f"simulating {len(self.vehicle_gateway)} vehicles")
        super().handle(*args, **options)

    def after_tick(self, options, publisher, tokens, t: float) -> None:
        if self.vehicles is None:
            return
        batches = defaultdict(list)
        for code, ts, lon, lat, speed in self.vehicles.tick(t, options["interval"]):
            batches[self.vehicle_gateway[code]].append({"device": code, "ts": ts, "lon": lon, "lat": lat, "speed": speed})
        for gateway_code, positions in batches.items():
            if publisher is not None:
                publisher.publish(f"citysafe/v1/positions/{gateway_code}",
                                  json.dumps({"token": tokens[gateway_code], "positions": positions}), qos=1)
            else:
                url = options["url"].rsplit("/", 1)[0] + "/positions"
                self._post(url, gateway_code, tokens[gateway_code], positions)



