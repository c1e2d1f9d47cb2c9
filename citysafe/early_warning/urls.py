from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.early_warning import detail, public, views

app_name = "early_warning"
urlpatterns = [
    path("public/", public.active, name="public_active"),
    path("public/history/", public.history, name="public_history"),
    path("public/feed.atom", public.ActiveWarningsFeed(), name="public_feed"),
    path("public/cap-index.atom", public.CapIndexFeed(), name="public_cap_index"),
    path("public/subscribe/", public.subscribe, name="public_subscribe"),
    path("public/subscribe/confirm/", public.confirm, name="public_confirm"),
    path("public/report/", public.report, name="public_report"),
    path("public/<str:identifier>.xml", public.cap, name="public_cap"),
    path("public/<str:identifier>/", public.detail, name="public_detail"),
    # Before the generic record pages: the warning's own detail page at the kind's detail URL.
    path("warnings/<int:pk>/", detail.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/step/", views.warning_step, name="step"),
    path("warnings/<int:pk>/revise/", views.warning_revise, name="revise"),
    path("warnings/<int:pk>/cap.xml", views.warning_cap, name="cap"),
    path("cap-upload/", views.cap_upload, name="cap_upload"),
    path("danger-reports/", views.danger_reports, name="danger_reports"),
    *record_patterns(app_name),
]
