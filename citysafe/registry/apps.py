from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "citysafe.registry"
    label = "registry"
    verbose_name = _("基础信息登记")

    def ready(self):
        from citysafe.core.kinds import register
        from citysafe.registry.kinds import KINDS

        register(*KINDS)
