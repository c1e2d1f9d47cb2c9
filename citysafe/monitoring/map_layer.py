"""The monitoring wall's map layers (sensors coloured by status, vehicles by their worst active
alarm), view-aware like the registry's point layers (issue 19, "maps that scale").

Asked with `?bbox=…&zoom=…`, a layer answers for that view only, through the registry map's
viewport code (citysafe/registry/map/viewport.py, kernels/map_grid.py): zoomed out over more
than MAP_FEATURE_LIMIT devices the database counts them per grid cell, and each cluster carries
the worst active alarm level inside it (`level`, 1 worst), so an alarm never hides in a bubble;
otherwise the devices in the box. The queryset counted is the scoped one (scope.narrow through
the selectors), read on the read replica when one is configured. Without bbox/zoom the layer is
whole, as before.
"""
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from citysafe.core.db import read_alias
from citysafe.monitoring import selectors
from citysafe.monitoring.models import ACTIVE, Alarm
from citysafe.registry.map import viewport as views_of

GEOJSON_HEAD = {"type": "FeatureCollection"}


def _worst_active_level(alarm_model, owner: str):
    """The level of the device's worst active alarm (1 worst), NULL when it has none."""
    return Subquery(alarm_model.objects.filter(**{owner: OuterRef("pk")}, status__in=ACTIVE)
                    .order_by("level").values("level")[:1])


def sensor_status(sensor) -> int:
    """Alarm level of the sensor's worst active alarm; 0 normal; -1 no data yet."""
    if sensor.active_alarms:
        return sensor.active_alarms[0].level
    return 0 if getattr(sensor, "latest", None) else -1


def sensors_layer(user, viewport=None, *, with_extent: bool = False) -> dict:
    placed = selectors.visible_sensors(user).using(read_alias()).filter(lon__isnull=False, lat__isnull=False)
    head = dict(GEOJSON_HEAD)
    if with_extent:
        head["extent"] = views_of.extent(placed)
    clusters = views_of.clusters_for(placed.annotate(_alarm=_worst_active_level(Alarm, "sensor")), viewport,
                                     level="_alarm")
    if clusters is not None:
        return views_of.clusters_collection(clusters, viewport, **head)
    rows = views_of.within(selectors.wall(user).using(read_alias()).filter(lon__isnull=False, lat__isnull=False),
                           viewport)
    sensors, truncated = views_of.capped(rows, viewport)
    features = []
    for sensor in sensors:
        latest = getattr(sensor, "latest", None)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [sensor.lon, sensor.lat]},
                         "properties": {"id": sensor.pk, "name": sensor.name, "status": sensor_status(sensor),
                                        "value": latest.value if latest else None, "unit": sensor.unit,
                                        "url": reverse("monitoring:sensor-chart", args=[sensor.pk])}})
    return {**head, **views_of.view_properties(viewport, "features", truncated), "features": features}


def vehicles_layer(user, viewport=None, *, with_extent: bool = False) -> dict:
    """The newest position of every visible vehicle (两客一危), status = its worst active alarm."""
    from citysafe.monitoring.models import VehicleAlarm

    vehicles = selectors.vehicles_on_map(user).using(read_alias())
    head = dict(GEOJSON_HEAD)
    if with_extent:
        head["extent"] = views_of.extent(vehicles, "last_lon", "last_lat")
    clusters = views_of.clusters_for(vehicles.annotate(_alarm=_worst_active_level(VehicleAlarm, "vehicle")),
                                     viewport, level="_alarm", lon="last_lon", lat="last_lat")
    if clusters is not None:
        return views_of.clusters_collection(clusters, viewport, **head)
    rows, truncated = views_of.capped(views_of.within(vehicles, viewport, "last_lon", "last_lat"), viewport)
    features = []
    for vehicle in rows:
        levels = [a.level for a in vehicle.active_alarms]
        features.append({"type": "Feature", "geometry": {"type": "Point",
                                                         "coordinates": [vehicle.last_lon, vehicle.last_lat]},
                         "properties": {"id": vehicle.pk, "name": vehicle.plate, "status": min(levels, default=0),
                                        "speed": vehicle.last_speed, "type": vehicle.get_vehicle_type_display(),
                                        "alarms": [a.get_kind_display() for a in vehicle.active_alarms],
                                        "url": reverse("monitoring:detail", args=["vehicles", vehicle.pk]),
                                        "replay": reverse("monitoring:vehicle-replay", args=[vehicle.pk])}})
    return {**head, **views_of.view_properties(viewport, "features", truncated), "features": features}
