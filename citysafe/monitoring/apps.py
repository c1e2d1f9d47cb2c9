from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "citysafe.monitoring"
    label = "monitoring"
    verbose_name = _("在线监测")

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

        from citysafe.core import nav

        nav.register("monitor", _("监测墙"), "monitoring:wall", order=10)
        nav.register("monitor", _("传感器"), "monitoring:list", args=("sensors",), order=20)
        nav.register("monitor", _("网关"), "monitoring:list", args=("gateways",), order=30)
        nav.register("monitor", _("视频点位"), "monitoring:list", args=("video-points",), order=40)
        nav.register("monitor", _("报警规则"), "monitoring:list", args=("alarm-rules",), order=50)
        nav.register("monitor", _("两客一危车辆"), "monitoring:list", args=("vehicles",), order=60)
        nav.register("monitor", _("禁行区"), "monitoring:zones", order=70)
