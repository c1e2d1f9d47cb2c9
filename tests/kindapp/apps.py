from django.apps import AppConfig


class KindAppConfig(AppConfig):
    """A minimal app with one record kind, installed only by the test settings: it proves a
    new kind needs only its model, services and declaration (docs/architecture.md)."""

    name = "tests.kindapp"
    label = "kindapp"

    def ready(self):
        from citysafe.core.kinds import register
        from tests.kindapp.kinds import HYDRANTS, grant_permissions

        grant_permissions()
        register(HYDRANTS)
