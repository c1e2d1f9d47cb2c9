from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "citysafe.sharing"
    label = "sharing"
    verbose_name = _("数据共享")

    def ready(self):
        from citysafe.core import nav
        from citysafe.core.roles import Role
        from citysafe.core.scheduler import register_job
        from citysafe.core.scope import Action, may, register_permissions
        from citysafe.sharing.tasks import deliver_webhooks

        # Government accounts (service accounts of other systems among them) subscribe to events;
        # each subscriber receives only what its own data scope shows.
        subscribers = {Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.TOWNSHIP}
        register_permissions("sharing.Subscription", {Action.CREATE: subscribers, Action.CHANGE: subscribers,
                                                      Action.ARCHIVE: subscribers})
        register_job("webhook fan-out and delivery", deliver_webhooks, every={"seconds": 15})
        nav.register("system", _("数据共享"), "sharing:index", order=90,
                     visible=lambda user: may(user, "sharing.Subscription", Action.CREATE))
