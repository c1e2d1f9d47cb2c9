from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "citysafe.dashboard"
    label = "dashboard"
    verbose_name = _("驾驶舱与报告")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.core import nav, scope
        from citysafe.core.scheduler import register_job
        from citysafe.dashboard import permissions
        from citysafe.dashboard.tasks import generate_periodic_reports

        permissions.register()
        # Monthly reports on the 1st (the annual one too on 1 January), early before office hours.
        register_job("periodic safety reports", generate_periodic_reports, cron={"day": 1, "hour": 6, "minute": 5})

        def may_generate(user):
            return scope.may(user, "dashboard.Report", scope.Action.CREATE)

        nav.register("home", _("驾驶舱"), "dashboard:index", order=10, visible=may_generate)
        nav.register("home", _("安全报告"), "dashboard:reports", order=11, visible=may_generate)
