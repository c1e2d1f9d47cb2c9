from django.urls import path

from citysafe.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("ack/<str:code>/", views.acknowledge, name="acknowledge"),
]
