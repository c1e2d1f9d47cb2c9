from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.risks.gatherings import views

app_name = "gatherings"
urlpatterns = [
    path("gatherings/<int:pk>/transition/", views.gathering_transition, name="transition"),
    *record_patterns(app_name),
]
