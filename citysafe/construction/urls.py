from django.urls import path

from citysafe.construction.views import sections
from citysafe.core.kinds.urls import record_patterns

app_name = "construction"
urlpatterns = [
    path("works/<int:pk>/step/", sections.work_step, name="work_step"),
    path("works/<int:pk>/attachments/", sections.work_attachment, name="work_attachment"),
    path("permits/<int:pk>/step/", sections.permit_step, name="permit_step"),
    path("projects/<int:pk>/inspect/", sections.assign_inspection, name="assign_inspection"),
    *record_patterns(app_name),
]
