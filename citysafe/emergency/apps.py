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
