from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision plans and random inspections (C17, issue 16): enterprise classes, the annual
    enforcement plan and its progress, 双随机 draws and their public page."""

    name = "citysafe.supervision"
    label = "supervision"
    verbose_name = _("分级分类与双随机监管")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.core import nav, scope
        from citysafe.supervision import permissions
        from citysafe.supervision.models import RandomDraw

        permissions.register()
        nav.register("supervise", _("执法计划"), "supervision:plans", order=80)
        nav.register("supervise", _("企业分级分类"), "supervision:classes", order=81)
        nav.register("supervise", _("双随机抽查"), "supervision:draws", order=82,
                     visible=lambda user: scope.may(user, RandomDraw, scope.Action.CREATE))
