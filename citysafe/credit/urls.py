from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.credit import views

app_name = "credit"
urlpatterns = [
    path("public/", views.public_list, name="public"),
    path("entries/<int:pk>/step/", views.entry_step, name="entry_step"),
    path("uninsured/", views.uninsured, name="uninsured"),
    path("agencies/", views.agency_ranking, name="agencies"),
    *record_patterns(app_name),
]
