from django.urls import path

from citysafe.registry.io import views

app_name = "io"
urlpatterns = [
    path("", views.index, name="index"),
    path("templates/<slug:kind>.xlsx", views.download_template, name="template"),
    path("import/", views.start_import, name="import"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
    path("export/<slug:resource>/", views.export_list, name="export"),
]
