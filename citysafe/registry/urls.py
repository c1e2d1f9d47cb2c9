from django.urls import path

from citysafe.registry import views

app_name = "registry"
urlpatterns = [
    path("enterprises/<int:pk>/transition/", views.enterprise_transition, name="transition"),
    path("enterprises/<int:pk>/attachments/", views.enterprise_attachment, name="attach"),
    path("<slug:resource>/", views.record_list, name="list"),
    path("<slug:resource>/new/", views.record_create, name="create"),
    path("<slug:resource>/<int:pk>/", views.record_detail, name="detail"),
    path("<slug:resource>/<int:pk>/edit/", views.record_edit, name="edit"),
    path("<slug:resource>/<int:pk>/archive/", views.record_archive, name="archive"),
    path("<slug:resource>/<int:pk>/purge/", views.record_purge, name="purge"),
    path("<slug:resource>/<int:pk>/restore/", views.record_restore, name="restore"),
]
