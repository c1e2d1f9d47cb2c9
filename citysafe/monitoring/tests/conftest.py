import pytest


@pytest.fixture
def gateway_token(world):
    """A fresh token for the first demo gateway, and the codes of its sensors by type."""
    import secrets

    from citysafe.monitoring.models import Gateway, Sensor, token_digest

    gateway = Gateway.objects.order_by("id").first()
    raw = secrets.token_urlsafe(32)
    Gateway.objects.filter(pk=gateway.pk).update(token_digest=token_digest(raw), token_prefix=raw[:8])
    sensors = {}
    for sensor in Sensor.objects.filter(gateway=gateway).order_by("id"):
        sensors.setdefault(sensor.sensor_type, sensor)
    return raw, gateway, sensors
