"""URL patterns of the record pages of one app's kinds: `path("registry/", include(
record_urls("registry")))` gives `registry:list`, `registry:detail` … for every kind whose
namespace is "registry" (the kind is the first URL segment)."""
from django.urls import path

from citysafe.core.kinds import choice_views, views


def record_patterns(namespace: str) -> list:
    """The generic patterns, to put after an app's own (more specific) ones."""
    extra = {"namespace": namespace}
    return [
        path("<slug:resource>/", views.record_list, extra, name="list"),
        path("<slug:resource>/new/", views.record_create, extra, name="create"),
        path("<slug:resource>/options/<slug:field>/", choice_views.field_options, extra, name="options"),
        path("<slug:resource>/filter-options/<slug:field>/", choice_views.filter_options, extra, name="filter_options"),
        path("<slug:resource>/lookup/<slug:field>/", choice_views.lookup, extra, name="lookup"),
        path("<slug:resource>/<int:pk>/", views.record_detail, extra, name="detail"),
        path("<slug:resource>/<int:pk>/edit/", views.record_edit, extra, name="edit"),
        path("<slug:resource>/<int:pk>/archive/", views.record_archive, extra, name="archive"),
        path("<slug:resource>/<int:pk>/purge/", views.record_purge, extra, name="purge"),
        path("<slug:resource>/<int:pk>/restore/", views.record_restore, extra, name="restore"),
    ]


def record_urls(namespace: str, extra_patterns: list = ()):
    """(patterns, app_name) for `include()`: the app's own patterns first, then the generic ones."""
    return [*extra_patterns, *record_patterns(namespace)], namespace
