"""Per-process cache of the sensor registry for ingestion (code → id, range, gateway, type).

Every batch asks the database for a cheap version of the sensor table — row count, newest
`updated_at`, highest id — and reloads the whole table only when that changed. Every write
through the services (create, edit, archive) bumps `updated_at`, so an edited range or an
archived sensor is seen by the next batch in every process. A bulk `QuerySet.update()` that
bypasses `save()` is not seen: call `forget()` after one (tests, scripts).

Hand-written rather than Django's cache framework: the value is a few numpy-free dicts that
must be consulted ~10^4 times per batch; a pickled round-trip through a cache backend would
cost more than the query it saves.
"""
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class SensorInfo:
    pk: int
    low: float
    high: float
    gateway_id: int | None
    sensor_type: str
    place_id: int | None


_cache: dict = {"key": None, "by_code": {}}


def _version():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(updated_at), max(id) FROM monitoring_sensor")
        return (connection.alias, connection.settings_dict.get("NAME"), *cursor.fetchone())


def sensors_by_code() -> dict[str, SensorInfo]:
    """Unarchived sensors by code, fresh as of the latest committed sensor write."""
    key = _version()
    if key != _cache["key"]:
        from citysafe.monitoring.models import Sensor

        rows = Sensor.objects.filter(archived_at__isnull=True).values_list(
            "code", "pk", "range_min", "range_max", "gateway_id", "sensor_type", "place_id")
        _cache["by_code"] = {code: SensorInfo(pk, lo, hi, gw, kind, place) for code, pk, lo, hi, gw, kind, place in rows}
        _cache["by_pk"] = {info.pk: info for info in _cache["by_code"].values()}
        by_gateway = {}
        for code, info in _cache["by_code"].items():
            by_gateway.setdefault(info.gateway_id, {})[code] = info
        _cache["by_gateway"] = by_gateway
        _cache["key"] = key
    return _cache["by_code"]


def sensors_by_pk() -> dict[int, SensorInfo]:
    sensors_by_code()
    return _cache["by_pk"]


def sensors_of_gateway(gateway_id: int) -> dict[str, SensorInfo]:
    sensors_by_code()
    return _cache["by_gateway"].get(gateway_id, {})


def forget() -> None:
    _cache["key"] = None
