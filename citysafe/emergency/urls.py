from django.urls import path

from citysafe.core.kinds.urls import record_patterns

app_name = "emergency"
urlpatterns = [
    *record_patterns(app_name),
]
