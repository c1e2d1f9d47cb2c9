from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlyWarningConfig(AppConfig):
    name = "citysafe.early_warning"
    label = "early_warning"
    verbose_name = _("预警信息发布")

    def ready(self):
        from citysafe.core.kinds import register
        from citysafe.core.scheduler import register_job
        from citysafe.early_warning import permissions
        from citysafe.early_warning.kinds import WARNINGS
        from citysafe.early_warning.tasks import expire_warnings_job, fetch_cap_sources, remind_unacknowledged_job

        permissions.register()
        register(WARNINGS)
        # Expiry of published versions (the system's "expire" transition) and configured CAP sources.
        register_job("warning expiry sweep", expire_warnings_job, every={"minutes": 1})
        register_job("CAP source fetch", fetch_cap_sources, every={"minutes": 5})
        register_job("warning acknowledgement reminder", remind_unacknowledged_job, every={"minutes": 5})

        from citysafe.core import nav

        nav.register("monitor", _("预警发布"), "early_warning:list", args=("warnings",), order=60)
        nav.register("monitor", _("险情报告"), "early_warning:danger_reports", order=70)
        nav.register("monitor", _("公众预警页"), "early_warning:public_active", order=80)
