from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.emergency.views import incidents

app_name = "emergency"
urlpatterns = [
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
