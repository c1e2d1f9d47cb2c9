from django.contrib import admin
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.urls import include, path
from django.views.decorators.cache import cache_control

from citysafe.core.kinds import all_kinds
from citysafe.core.kinds.urls import record_urls
from citysafe.core.views import healthz
from citysafe.registry.home import home
from config.api import api


@cache_control(max_age=86400, public=True)
def favicon(request):
    # Browsers ask for /favicon.ico at the site root, outside STATIC_URL where WhiteNoise
    # serves; pages link static/favicon.svg, this answers the by-name request.
    found = finders.find("favicon.ico")
    if not found:
        raise Http404
    return FileResponse(open(found, "rb"), content_type="image/vnd.microsoft.icon")  # noqa: SIM115 (FileResponse closes it)


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
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
    path("knowledge/", include("citysafe.knowledge.urls")),
    path("hazards/", include("citysafe.hazards.urls")),
    path("captcha/", include("captcha.urls")),
    path("monitoring/", include("citysafe.monitoring.urls")),
    path("risks/", include("citysafe.risks.urls")),
    path("emergency/", include("citysafe.emergency.urls")),
    path("risk-map/", include("citysafe.risks.map.urls")),
    path("risk-ledgers/", include("citysafe.risks.printouts.urls")),
    path("gatherings/", include("citysafe.risks.gatherings.urls")),
    path("early-warning/", include("citysafe.early_warning.urls")),
    path("assessment/", include("citysafe.assessment.urls")),
    path("siting/", include("citysafe.siting.urls")),
    path("construction/", include("citysafe.construction.urls")),
    path("enforcement/", include("citysafe.enforcement.urls")),
    path("supervision/", include("citysafe.supervision.urls")),
    path("credit/", include("citysafe.credit.urls")),
    path("dashboard/", include("citysafe.dashboard.urls")),
    path("sharing/", include("citysafe.sharing.urls")),
]

# Record kinds of apps without their own page URLs get the generic pages at /<namespace>/<kind>/.
_OWN_URLS = {"registry", "risks", "emergency", "monitoring", "gatherings", "early_warning", "hazards", "assessment",
             "siting", "construction", "enforcement", "supervision", "credit", "dashboard", "sharing"}
urlpatterns += [path(f"{namespace}/", include(record_urls(namespace)))
                for namespace in sorted({kind.namespace for kind in all_kinds()} - _OWN_URLS)]
