from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "citysafe.credit"
    label = "credit"
    verbose_name = _("信用与保险")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.core import nav
        from citysafe.core.kinds import register
        from citysafe.core.scheduler import register_job
        from citysafe.credit import permissions
        from citysafe.credit.kinds import KINDS
        from citysafe.credit.tasks import expire_list_entries

        permissions.register()
        register(*KINDS)
        register_job("credit list expiry", expire_list_entries, cron={"hour": 1, "minute": 15})

        government = ("admin", "leader", "department", "township")
        nav.register("supervise", _("严重失信名单"), "credit:list", args=("credit-entries",), order=80)
        nav.register("supervise", _("安责险保单"), "credit:list", args=("insurance-policies",), order=81)
        nav.register("supervise", _("未投保高危企业"), "credit:uninsured", order=82,
                     visible=lambda user: user.role in government)
        nav.register("supervise", _("技术服务机构"), "credit:agencies", order=83)
