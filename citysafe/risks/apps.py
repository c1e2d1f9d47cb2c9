from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "citysafe.risks"
    label = "risks"
    verbose_name = _("风险分级管控")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.core.kinds import register
        from citysafe.risks import permissions
        from citysafe.risks.kinds import KINDS

        permissions.register()  # who may write risk records, which fields (core.scope)
        register(*KINDS)

        from citysafe.risks.gatherings import register as register_gatherings

        register_gatherings()  # large gatherings: permissions, field limits, record kind

        from citysafe.risks import hooks

        hooks.connect()  # registry changes (a place or enterprise moved, people nearby) → risks

        from citysafe.core import todo
        from citysafe.core.scheduler import register_job
        from citysafe.risks.selectors.due import reassessment_todo
        from citysafe.risks.tasks import send_reassessment_reminders

        todo.register(reassessment_todo)  # the home page's 待办: reassessments due within 30 days / overdue
        register_job("risk reassessment reminders", send_reassessment_reminders, cron={"hour": 7, "minute": 30})

        from citysafe.core import nav

        nav.register("risk", _("风险总览"), "risks:index", order=10)
        nav.register("risk", _("风险点"), "risks:list", args=("risk-points",), order=20)
        nav.register("risk", _("评估审核"), "risks:review_queue", order=30,
                     visible=lambda user: user.role not in ("grid", "leader"))
        nav.register("risk", _("风险四色图"), "risk_map:page", order=15)
        nav.register("risk", _("重大危险源"), "risks:list", args=("hazard-installations",), order=40)
        nav.register("risk", _("大型群众性活动"), "gatherings:list", args=("gatherings",), order=60)
        nav.register("risk", _("复评到期"), "risks:due", order=50)
