from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "citysafe.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.core import todo
        from citysafe.core.kinds import register
        from citysafe.core.scheduler import register_job
        from citysafe.core.workflow.deadlines import register_sweep
        from citysafe.hazards import permissions
        from citysafe.hazards.kinds import KINDS
        from citysafe.hazards.services.deadlines import HAZARD_DEADLINES, hazard_todo
        from citysafe.hazards.tasks import send_hazard_reminders
        from citysafe.monitoring.hooks import register_hazard_converter

        permissions.register()  # who may write hazard records, which fields (core.scope)
        register(*KINDS)
        register_sweep(HAZARD_DEADLINES)  # overdue flag + escalation grid → township → department → county
        todo.register(hazard_todo)
        from citysafe.hazards.services.alarms import convert_alarm

        register_hazard_converter(convert_alarm)  # monitoring's "alarm → hazard" (monitoring/hooks.py)
        from citysafe.early_warning.hooks import register_danger_report_sink
        from citysafe.hazards.services.reports import from_danger_report

        register_danger_report_sink(from_danger_report)  # a citizen's 险情报告 → a public report (举报)
        register_job("hazard deadline reminders", send_hazard_reminders, cron={"hour": 8, "minute": 0})

        from citysafe.core import nav

        nav.register("hazard", _("隐患总览"), "hazards:index", order=10)
        nav.register("hazard", _("隐患清单"), "hazards:list", args=("hazards",), order=20)
        nav.register("hazard", _("检查任务"), "hazards:inspections", order=30)
        nav.register("hazard", _("群众举报"), "hazards:list", args=("public-reports",), order=40,
                     visible=lambda user: user.role not in ("grid", "enterprise"))
        nav.register("hazard", _("举报奖励"), "hazards:list", args=("rewards",), order=50,
                     visible=lambda user: user.role in ("admin", "leader"))
        nav.register("hazard", _("挂牌督办公示"), "hazards:public_disclosure", order=60)
