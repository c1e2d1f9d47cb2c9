"""HTTP batch ingestion: counts, idempotency, rejection reasons, CSV, bounds, credentials."""
import json
import math
import time

from django.test import Client

from citysafe.monitoring.models import HourRollup, LatestReading, MinuteRollup, Reading

URL = "/api/v1/ingest/readings"


def post(token, body, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return Client().post(URL, data=data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_batch_is_stored_and_a_resent_batch_is_counted_as_duplicates(gateway_token):
    token, _gw, sensors = gateway_token
    gas = sensors["gas"]
    now = int(time.time())
    batch = [{"sensor": gas.code, "ts": now - 600 + i, "value": 5.0 + i % 3} for i in range(500)]
    first = post(token, batch)
    assert first.status_code == 200, first.content
    assert (first.json()["stored"], first.json()["duplicated"], first.json()["rejected"]) == (500, 0, 0)
    again = post(token, {"readings": batch[250:] + batch[:10]})
    assert (again.json()["stored"], again.json()["duplicated"]) == (0, 260)
    assert Reading.objects.filter(sensor=gas).count() == 500


def test_bad_readings_are_rejected_with_reasons_and_the_rest_is_stored(gateway_token):
    token, _gw, sensors = gateway_token
    gas = sensors["gas"]
    now = int(time.time())
    code = gas.code
    body = (f'[{{"sensor": "{code}", "ts": {now}, "value": 1.5}},'
            f' {{"sensor": "{code}", "ts": {now + 1}, "value": NaN}},'
            f' {{"sensor": "{code}", "ts": {now + 2}, "value": 150}},'
            f' {{"sensor": "NO-SUCH", "ts": {now}, "value": 1}},'
            f' {{"sensor": "{code}", "ts": "yesterday", "value": 1}},'
            f' {{"sensor": "{code}", "ts": {now + 86400}, "value": 1}},'
            ' 7]')
    answer = post(token, body).json()
    assert (answer["stored"], answer["rejected"]) == (1, 6)
    assert answer["reasons"] == {"not_a_number": 1, "out_of_range": 1, "unknown_sensor": 1, "bad_timestamp": 1,
                                 "future_timestamp": 1, "bad_row": 1}
    assert {r["index"]: r["reason"] for r in answer["rejections"]}[2] == "out_of_range"
    assert all(r["msg"] for r in answer["rejections"])


def test_late_and_out_of_order_readings_are_stored_and_the_latest_value_does_not_go_back(gateway_token):
    token, _gw, sensors = gateway_token
    gas = sensors["gas"]
    now = int(time.time())
    post(token, [{"sensor": gas.code, "ts": now, "value": 9}, {"sensor": gas.code, "ts": now - 30, "value": 8}])
    answer = post(token, [{"sensor": gas.code, "ts": now - 3600, "value": 2}]).json()
    assert answer["stored"] == 1
    latest = LatestReading.objects.get(sensor=gas)
    assert (latest.value, int(latest.ts.timestamp())) == (9, now)


def test_roll_ups_count_every_stored_reading_once(gateway_token):
    token, _gw, sensors = gateway_token
    gas = sensors["gas"]
    base = (int(time.time()) // 3600 - 1) * 3600
    values = [1.0, 2.0, 3.0, 10.0]
    batch = [{"sensor": gas.code, "ts": base + 20 * i, "value": v} for i, v in enumerate(values)]
    post(token, batch)
    post(token, batch)   # duplicates change nothing
    minute = MinuteRollup.objects.filter(sensor=gas).order_by("bucket")
    assert [(m.count, m.total, m.vmin, m.vmax) for m in minute] == [(3, 6.0, 1.0, 3.0), (1, 10.0, 10.0, 10.0)]
    hour = HourRollup.objects.get(sensor=gas)
    assert (hour.count, math.isclose(hour.mean, 4.0)) == (4, True)


def test_csv_batches_are_accepted(gateway_token):
    token, _gw, sensors = gateway_token
    gas = sensors["gas"]
    now = int(time.time())
    text = "sensor,ts,value\n" + "".join(f"{gas.code},{now - i},{i % 7}\n" for i in range(1000)) + "bad,line\n"
    answer = post(token, text, "text/csv").json()
    assert (answer["stored"], answer["rejected"], answer["reasons"]) == (1000, 1, {"bad_row": 1})


def test_iso_times_need_an_offset(gateway_token):
    token, _gw, sensors = gateway_token
    gas = sensors["gas"]
    answer = post(token, [{"sensor": gas.code, "ts": "2026-01-01T08:00:00+08:00", "value": 1},
                          {"sensor": gas.code, "ts": "2026-01-01T08:00:00", "value": 1}]).json()
    assert answer["reasons"].get("bad_timestamp") == 1


def test_a_gateway_cannot_send_for_another_gateways_sensor_and_a_bad_token_is_401(gateway_token):
    from citysafe.monitoring.models import Sensor

    token, gateway, _sensors = gateway_token
    foreign = Sensor.objects.exclude(gateway=gateway).order_by("id").first()
    answer = post(token, [{"sensor": foreign.code, "ts": int(time.time()), "value": 1}]).json()
    assert answer["reasons"] == {"unknown_sensor": 1}
    assert post("not-a-token", []).status_code == 401


def test_an_oversized_batch_is_refused_before_anything_is_stored(gateway_token, settings):
    token, _gw, sensors = gateway_token
    settings.MONITORING_INGEST_MAX_READINGS = 10
    answer = post(token, [{"sensor": sensors["gas"].code, "ts": int(time.time()) - i, "value": 1} for i in range(11)])
    assert answer.status_code == 413
    assert not Reading.objects.filter(sensor=sensors["gas"]).exists()


def test_the_simulator_produces_readings_every_sensor_accepts_with_excursions_that_alarm(world):
    from citysafe.monitoring.models import Alarm, Sensor
    from citysafe.monitoring.services.ingest import Credential, ingest
    from citysafe.monitoring.simulator import SimSensor, Simulator

    sims = [SimSensor(s.code, s.sensor_type, s.range_min, s.range_max, s.place.capacity if s.place else None)
            for s in Sensor.objects.select_related("place")]
    simulator = Simulator(sims, seed=1)
    for s in sims[:3]:
        s.excursion = 30
    start = time.time() - 3600
    total = stored = 0
    for tick in range(60):
        rows = simulator.tick(start + 10 * tick)
        result = ingest(Credential(), rows)
        total, stored = total + len(rows), stored + result.stored
        assert result.rejected == 0, result.reasons
    assert stored == total > 0
    assert Alarm.objects.exists()
