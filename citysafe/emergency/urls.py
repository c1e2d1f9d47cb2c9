from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.emergency.views import incidents, planning, plans

app_name = "emergency"
urlpatterns = [
    path("", plans.index, name="index"),
    path("plan-statistics/", plans.plan_statistics, name="plan-statistics"),
    path("coverage/", planning.coverage_page, name="coverage"),
    path("coverage.geojson", planning.coverage_geojson, name="coverage-geojson"),
    path("coverage.xlsx", planning.coverage_export, name="coverage-export"),
    path("map/", planning.resource_map, name="map"),
    path("map/layers/<slug:key>.geojson", planning.layer, name="layer"),
    path("map/roads.geojson", planning.roads_layer, name="roads-layer"),
    path("roads/", planning.roads_page, name="roads"),
    path("roads/import/", planning.roads_import, name="roads-import"),
    path("roads/close/", planning.roads_close, name="roads-close"),
    path("roads/reopen/", planning.roads_reopen, name="roads-reopen"),
    path("incidents/<int:pk>/transition/", incidents.transition, name="incident-transition"),
    path("incidents/<int:pk>/dispatch-team/", incidents.dispatch_team, name="incident-dispatch-team"),
    path("incidents/<int:pk>/issue/", incidents.issue_material, name="incident-issue"),
    path("incidents/<int:pk>/task/", incidents.add_task, name="incident-task"),
    path("incidents/<int:pk>/log/", incidents.add_log, name="incident-log"),
    path("incidents/<int:pk>/dispatches/<int:dispatch_pk>/status/", incidents.dispatch_status,
         name="incident-dispatch-status"),
    path("incidents/<int:pk>/route/<int:team_pk>.geojson", incidents.route, name="incident-route"),
    path("incidents/<int:pk>/report.pdf", incidents.report, name="incident-report"),
    *record_patterns(app_name),
]
