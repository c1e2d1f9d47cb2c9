from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.registry import views

app_name = "registry"
urlpatterns = [
    path("enterprises/<int:pk>/transition/", views.enterprise_transition, name="transition"),
    path("enterprises/<int:pk>/attachments/", views.enterprise_attachment, name="attach"),
    *record_patterns(app_name),
]
