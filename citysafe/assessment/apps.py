from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "citysafe.assessment"
    label = "assessment"
    verbose_name = _("考核评估")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.assessment import permissions
        from citysafe.assessment.kinds import KINDS
        from citysafe.assessment.tasks import warn_overdue_targets
        from citysafe.core import nav
        from citysafe.core.kinds import register
        from citysafe.core.scheduler import register_job

        permissions.register()
        register(*KINDS)
        register_job("policy target overdue warnings", warn_overdue_targets, cron={"hour": 8, "minute": 30})

        nav.register("system", _("政策目标"), "assessment:targets", order=60,
                     visible=lambda user: user.role in ("admin", "leader", "department", "township"))
        nav.register("system", _("事故统计"), "assessment:statistics", order=61,
                     visible=lambda user: user.role in ("admin", "leader", "department", "township"))
        from citysafe.assessment.views.compare import may_compare

        nav.register("system", _("年度考核"), "assessment:systems", order=62,
                     visible=lambda user: user.role in ("admin", "leader", "department", "township") or may_compare(user))
        nav.register("system", _("示范城市自评"), "assessment:city", order=63,
                     visible=lambda user: user.role in ("admin", "leader"))
        # The prefecture (province) office: its counties side by side, and its assessment of them.
        nav.register("system", _("县（市）对比"), "assessment:compare", order=64, visible=may_compare)
