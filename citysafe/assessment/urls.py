from django.urls import path

from citysafe.assessment.views import appraisal, compare, counties, reports, targets
from citysafe.core.kinds.urls import record_patterns

app_name = "assessment"
urlpatterns = [
    path("targets/", targets.target_list, name="targets"),
    path("targets/<int:pk>/", targets.target_detail, name="target"),
    path("targets/<int:pk>/progress/", targets.report_progress, name="report_progress"),
    path("targets/report.xlsx", reports.targets_xlsx, name="targets_xlsx"),
    path("targets/report.pdf", reports.targets_pdf, name="targets_pdf"),
    path("statistics/", targets.statistics, name="statistics"),
    path("statistics/report.xlsx", reports.statistics_xlsx, name="statistics_xlsx"),
    path("statistics/report.pdf", reports.statistics_pdf, name="statistics_pdf"),
    path("statistics/figures/", targets.save_figures, name="save_figures"),
    path("systems/", appraisal.systems, name="systems"),
    path("systems/<int:pk>/", appraisal.system_detail, name="system"),
    path("systems/<int:pk>/score/", appraisal.score, name="score"),
    path("systems/<int:pk>/ranking.xlsx", appraisal.ranking_xlsx, name="ranking_xlsx"),
    path("systems/<int:pk>/ranking.pdf", appraisal.ranking_pdf, name="ranking_pdf"),
    path("results/<int:pk>/", appraisal.result_detail, name="result"),
    path("results/<int:pk>/interviews/", appraisal.interview, name="interview"),
    path("results/<int:pk>/letter.pdf", appraisal.letter, name="letter"),
    path("results/<int:pk>/<slug:name>/", appraisal.transition, name="transition"),
    path("items/<int:pk>/sources/", appraisal.item_sources, name="item_sources"),
    path("items/<int:pk>/score/", appraisal.set_item, name="set_item"),
    path("city/", appraisal.city_page, name="city"),
    path("city/run/", appraisal.city_run, name="city_run"),
    path("city/items/<int:pk>/", appraisal.city_item, name="city_item"),
    path("county-systems/<int:pk>/", counties.county_system, name="county_system"),
    path("county-systems/<int:pk>/score/", counties.county_score, name="county_score"),
    path("county-results/<int:pk>/", counties.county_result, name="county_result"),
    path("county-results/<int:pk>/<slug:name>/", counties.county_transition, name="county_transition"),
    path("county-items/<int:pk>/score/", counties.county_item, name="county_item"),
    path("counties/", compare.compare_page, name="compare"),
    path("counties/compare.xlsx", compare.compare_xlsx, name="compare_xlsx"),
    *record_patterns(app_name),
]
