from django.urls import path

from citysafe.registry.map import views

app_name = "registry_map"
urlpatterns = [
    path("", views.map_page, name="page"),
    path("layers/base.geojson", views.base_geojson, name="base"),
    path("layers/<slug:layer>.geojson", views.layer_geojson, name="layer"),
]
