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
        from citysafe.core.scheduler import register_job
        from citysafe.monitoring.tasks import apply_retention, sweep_alarms

        register_job("monitoring alarm sweep", sweep_alarms, every={"minutes": 1})
        register_job("monitoring retention", apply_retention, cron={"hour": 3, "minute": 30})
        from django.apps import apps

        from citysafe.monitoring import hooks
        if apps.is_installed("citysafe.risks"):
            from citysafe.monitoring.area_raise import on_alarm
            hooks.register_alarm_listener(on_alarm)
        for kind in KINDS:
            register(kind)
