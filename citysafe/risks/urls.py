from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.risks.views import pages, point_forms, rules, workflow

app_name = "risks"
urlpatterns = [
    path("", pages.index, name="index"),
    path("review/", pages.review_queue, name="review_queue"),
    path("due/", pages.due_list, name="due"),
    path("thresholds/", rules.threshold_page, name="thresholds"),
    path("assessments/<int:pk>/transition/", workflow.assessment_transition, name="transition"),
    path("risk-points/<int:pk>/new/<slug:resource>/", point_forms.new_for_point, name="new_for_point"),
    *record_patterns(app_name),
]
