"""Demo sensors for the demo county (after load_demo): gas detectors, tank levels, temperatures
and pressures at hazchem sites and gas stations, water levels at reservoir banks, crowd counters
at markets, stations and commercial complexes; one gateway per township; video points."""
import os
import secrets
from pathlib import Path

from citysafe.monitoring.models import Gateway, Sensor, token_digest
from citysafe.monitoring.services.devices import create_gateway, create_sensor, create_video_point
from citysafe.registry.models import Area, Place


def tokens_file() -> Path:
    """Where load_monitoring_demo writes the demo gateways' tokens and the simulator reads them:
    var/monitoring_tokens.json, or MONITORING_TOKENS_FILE (a test's own file)."""
    from django.conf import settings

    return Path(os.environ.get("MONITORING_TOKENS_FILE") or Path(settings.BASE_DIR) / "var" / "monitoring_tokens.json")


# place type → [(sensor type, unit, range, suffix)]
SENSORS_BY_PLACE = {
    "gas_station": [("gas", "%LEL", (0, 100), "可燃气体"), ("liquid_level", "%", (0, 100), "油罐液位")],
    "hazchem_site": [("gas", "%LEL", (0, 100), "可燃气体"), ("liquid_level", "%", (0, 100), "储罐液位"),
                     ("temperature", "℃", (-40, 120), "储罐温度"), ("pressure", "MPa", (0, 2.5), "储罐压力")],
    "gas_works": [("gas", "%LEL", (0, 100), "可燃气体"), ("pressure", "MPa", (0, 2.5), "管网压力")],
    "reservoir_bank": [("water_level", "m", (0, 25), "库岸水位")],
    "market": [("crowd", "人", (0, 100000), "人流量")],
    "commercial_complex": [("crowd", "人", (0, 100000), "人流量")],
    "station": [("crowd", "人", (0, 100000), "人流量")],
}
PER_TYPE_PER_TOWNSHIP = 2


def build_monitoring_demo(admin, *, per_type: int = PER_TYPE_PER_TOWNSHIP, verbose=print) -> dict:
    """Idempotent: places that already have sensors are skipped. Returns {code: raw token} of
    the gateways created (the simulator's credentials)."""
    tokens, made = {}, 0
    for township in Area.objects.filter(level="township").order_by("code"):
        places = []
        for place_type in SENSORS_BY_PLACE:
            places += list(Place.objects.filter(township=township, place_type=place_type, archived_at__isnull=True)
                           .order_by("id")[:per_type])
        if not places:
            continue
        code = f"GW-{township.code}"
        gateway = Gateway.objects.filter(code=code).first() or create_gateway(
            admin, {"code": code, "name": f"{township.name}监测网关", "place_id": places[0].pk})
        raw = secrets.token_urlsafe(32)
        Gateway.objects.filter(pk=gateway.pk).update(token_prefix=raw[:8], token_digest=token_digest(raw))
        tokens[code] = raw
        for place in places:
            for n, (sensor_type, unit, (low, high), suffix) in enumerate(SENSORS_BY_PLACE[place.place_type]):
                sensor_code = f"S-{place.pk}-{n}"
                if Sensor.objects.filter(code=sensor_code).exists():
                    continue
                create_sensor(admin, {"code": sensor_code, "name": f"{place.name}{suffix}", "sensor_type": sensor_type,
                                      "unit": unit, "range_min": low, "range_max": high, "sampling_seconds": 10,
                                      "place_id": place.pk, "gateway_id": gateway.pk})
                made += 1
            if place.place_type in ("hazchem_site", "market", "station"):
                video_code = f"V-{place.pk}"
                from citysafe.monitoring.models import VideoPoint
                if not VideoPoint.objects.filter(code=video_code).exists():
                    create_video_point(admin, {"code": video_code, "name": f"{place.name}视频", "place_id": place.pk,
                                               "stream_url": f"rtsp://video.local/{video_code}"})
    Sensor.objects.filter(code__startswith="S-").update(is_synthetic=True)
    verbose(f"monitoring demo: {made} new sensors, {len(tokens)} gateways")
    from citysafe.monitoring.demo.vehicles import build_vehicle_demo

    build_vehicle_demo(admin, verbose=verbose)
    return tokens
