from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitingConfig(AppConfig):
    name = "citysafe.siting"
    label = "siting"
    verbose_name = _("源头管控与规划选址")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.core import nav, scope
        from citysafe.core.kinds import register
        from citysafe.core.scheduler import register_job
        from citysafe.siting import hooks, permissions
        from citysafe.siting.catalogue_kind import CATALOGUE
        from citysafe.siting.kinds import RULES
        from citysafe.siting.models import SiteCheck
        from citysafe.siting.services.dig_check import DIG_CHECK
        from citysafe.siting.tasks import recompute_conflicts_job, rematch_catalogue_job
        from citysafe.siting.underground_kind import LINES, TUNNELS

        permissions.register()
        register(RULES)
        register(CATALOGUE)
        register(LINES)
        register(TUNNELS)
        hooks.connect()
        register_job("safety distance conflicts", recompute_conflicts_job, cron={"hour": 2, "minute": 30})
        register_job("restricted industry matches", rematch_catalogue_job, cron={"hour": 2, "minute": 45})

        nav.register("risk", _("安全距离冲突"), "siting:conflicts", order=70)
        nav.register("risk", _("规划选址评估"), "siting:site_check", order=71,
                     visible=lambda user: scope.may(user, SiteCheck, scope.Action.CREATE))
        nav.register("risk", _("安全距离规则"), "siting:list", args=("safety-distance-rules",), order=72)
        nav.register("risk", _("限制淘汰类产业"), "siting:catalogue_matches", order=73)
        nav.register("map", _("地下管线"), "siting:underground_map", order=40)
        nav.register("map", _("开挖核查"), "siting:dig_check", order=41,
                     visible=lambda user: scope.may(user, DIG_CHECK, scope.Action.CREATE))
