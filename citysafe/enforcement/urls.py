from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.enforcement.views import actions

app_name = "enforcement"
urlpatterns = [
    path("public/decisions/", actions.public_decisions, name="public_decisions"),
    path("cases/<int:pk>/transition/", actions.case_transition, name="transition"),
    path("cases/<int:pk>/evidence/", actions.case_evidence, name="evidence"),
    path("cases/<int:pk>/publish/", actions.case_publish, name="publish"),
    path("cases/<int:pk>/documents/<slug:kind>.pdf", actions.case_document, name="document"),
    path("cases/<int:pk>/case-file.pdf", actions.case_file, name="case_file"),
    path("inspection-records/<int:pk>/open-case/", actions.case_from_inspection, name="from_inspection"),
    *record_patterns(app_name),
]
