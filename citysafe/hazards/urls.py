from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.hazards.views import inspections, loop, public

app_name = "hazards"
urlpatterns = [
    path("", loop.index, name="index"),
    path("ledger.xlsx", loop.hazard_ledger, name="ledger"),
    path("charts/<slug:name>.svg", loop.statistics_chart, name="chart"),
    path("dual-lists/<int:enterprise_id>.xlsx", loop.dual_lists, name="dual_lists"),
    path("inspections/", inspections.my_tasks, name="inspections"),
    path("inspections/<int:pk>/", inspections.inspect, name="inspect"),
    path("public/report/", public.report, name="public_report"),
    path("public/progress/", public.progress, name="public_progress"),
    path("public/listed/", public.disclosure, name="public_disclosure"),
    path("hazards/<int:pk>/transition/", loop.hazard_transition, name="transition"),
    path("hazards/<int:pk>/plan/", loop.hazard_plan, name="plan"),
    path("hazards/<int:pk>/listing/", loop.hazard_listing, name="listing"),
    path("hazards/<int:pk>/dual-report/", loop.hazard_dual_report, name="dual_report"),
    path("hazards/<int:pk>/documents/<slug:kind>.pdf", loop.hazard_document, name="document"),
    path("public-reports/<int:pk>/triage/", loop.report_triage, name="triage"),
    path("public-reports/<int:pk>/reward/", loop.report_reward, name="propose_reward"),
    path("rewards/<int:pk>/decision/", loop.reward_decision, name="reward_decision"),
    *record_patterns(app_name),
]
