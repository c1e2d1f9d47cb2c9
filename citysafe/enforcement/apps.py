from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "citysafe.enforcement"
    label = "enforcement"
    verbose_name = _("行政执法")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.core import nav
        from citysafe.core.kinds import register
        from citysafe.core.scheduler import register_job
        from citysafe.core.workflow.deadlines import register_sweep
        from citysafe.enforcement import permissions
        from citysafe.enforcement.kinds import KINDS
        from citysafe.enforcement.services.deadlines import CASE_DEADLINES
        from citysafe.enforcement.tasks import mark_overdue_cases

        permissions.register()
        register(*KINDS)
        register_sweep(CASE_DEADLINES)  # reminder before / notice after each legal time limit (outbox)
        register_job("enforcement overdue cases", mark_overdue_cases, cron={"minute": 10})

        regulators = ("admin", "department", "township", "leader")
        nav.register("supervise", _("现场检查记录"), "enforcement:list", args=("inspection-records",), order=70,
                     visible=lambda user: user.role in regulators)
        nav.register("supervise", _("执法案件"), "enforcement:list", args=("cases",), order=80,
                     visible=lambda user: user.role in regulators + ("enterprise",))
        nav.register("supervise", _("处罚决定公示"), "enforcement:public_decisions", order=90)
        nav.register("system", _("节假日"), "enforcement:list", args=("holidays",), order=90,
                     visible=lambda user: user.role == "admin")
