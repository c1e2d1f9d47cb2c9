from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.monitoring import views, views_vehicles

app_name = "monitoring"
urlpatterns = [
    path("wall/", views.wall, name="wall"),
    path("wall/live/", views.wall_live, name="wall-live"),
    path("wall/sensors.geojson", views.sensors_geojson, name="sensors-geojson"),
    path("wall/vehicles.geojson", views.vehicles_geojson, name="vehicles-geojson"),
    path("sensors/<int:pk>/chart/", views.sensor_chart, name="sensor-chart"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/<str:action>/", views.alarm_action, name="alarm-action"),
    path("zones/", views_vehicles.zones, name="zones"),
    path("zones/save/", views_vehicles.zone_save, name="zone-save"),
    path("vehicles/<int:pk>/replay/", views_vehicles.vehicle_replay, name="vehicle-replay"),
    *record_patterns(app_name),
]
