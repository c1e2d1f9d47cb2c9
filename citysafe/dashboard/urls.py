from django.urls import path

from citysafe.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("data.json", views.data, name="data"),
    path("layers/hazards.geojson", views.hazards_geojson, name="hazards-geojson"),
    path("reports/", views.reports, name="reports"),
    path("reports/subscription/", views.subscription, name="subscription"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>.<str:fmt>", views.report_file, name="report-file"),
]
