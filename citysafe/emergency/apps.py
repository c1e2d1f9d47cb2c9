from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "citysafe.emergency"
    label = "emergency"
    verbose_name = _("应急管理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citysafe.core import kinds, todo
        from citysafe.emergency import permissions
        from citysafe.emergency.kinds import KINDS
        from citysafe.emergency.reminders import register_reminders, stock_todo

        permissions.register()
        for kind in KINDS:
            kinds.register(kind)
        todo.register(stock_todo)
        register_reminders()

        from citysafe.core import nav

        for order, (label, url_name, args) in enumerate([
            (_("应急总览"), "emergency:index", ()),
            (_("突发事件"), "emergency:list", ("incidents",)),
            (_("救援队伍"), "emergency:list", ("teams",)),
            (_("应急物资"), "emergency:list", ("materials",)),
            (_("应急避难场所"), "emergency:list", ("shelters",)),
            (_("应急预案"), "emergency:list", ("plans",)),
            (_("资源地图"), "emergency:map", ()),
            (_("覆盖分析"), "emergency:coverage", ()),
            (_("道路网络"), "emergency:roads", ()),
        ]):
            nav.register("emergency", label, url_name, args=args, order=order)
