from django.urls import path

from citysafe.core.kinds.urls import record_patterns
from citysafe.siting.views import catalogue, conflicts, line_imports, site_checks, underground

app_name = "siting"
urlpatterns = [
    path("conflicts/", conflicts.conflict_list, name="conflicts"),
    path("conflicts.geojson", conflicts.conflict_geojson, name="conflict_geojson"),
    path("conflicts.xlsx", conflicts.conflict_ledger, name="conflict_ledger"),
    path("conflicts/recompute/", conflicts.conflict_recompute, name="conflict_recompute"),
    path("conflicts/<int:pk>/", conflicts.conflict_detail, name="conflict"),
    path("conflicts/<int:pk>/decide/", conflicts.conflict_decide, name="conflict_decide"),
    path("site-check/", site_checks.site_check_form, name="site_check"),
    path("site-checks/<int:pk>/", site_checks.site_check_detail, name="site_check_detail"),
    path("site-checks/<int:pk>/report.pdf", site_checks.site_check_report, name="site_check_report"),
    path("catalogue-matches/", catalogue.match_list, name="catalogue_matches"),
    path("catalogue-matches.xlsx", catalogue.match_ledger, name="catalogue_match_ledger"),
    path("catalogue-matches/rematch/", catalogue.match_rematch, name="catalogue_rematch"),
    path("underground/", underground.underground_map, name="underground_map"),
    path("underground.geojson", underground.underground_geojson, name="underground_geojson"),
    path("dig-check/", underground.dig_check_page, name="dig_check"),
    path("underground/import/", line_imports.import_page, name="line_import"),
    path("underground/import/<int:pk>/", line_imports.mapping_page, name="line_import_mapping"),
    *record_patterns(app_name),
]
