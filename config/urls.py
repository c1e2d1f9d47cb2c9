from django.contrib import admin
from django.urls import include, path

from citysafe.core.views import healthz
from citysafe.registry.home import home
from config.api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", home, name="home"),
    path("", include("citysafe.accounts.urls")),
    path("registry/", include("citysafe.registry.urls")),
    path("io/", include("citysafe.registry.io.urls")),
    path("map/", include("citysafe.registry.map.urls")),
    path("notifications/", include("citysafe.notifications.urls")),
]
