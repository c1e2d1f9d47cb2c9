from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "citysafe.monitoring"
    label = "monitoring"
    verbose_name = "在线监测"

    def ready(self):
        from citysafe.core.kinds import register
        from citysafe.monitoring import permissions
        from citysafe.monitoring.kinds import KINDS

        permissions.register()
        for kind in KINDS:
            register(kind)
