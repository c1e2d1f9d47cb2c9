from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "citysafe.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from citysafe.core.scheduler import register_job
        from citysafe.notifications.tasks import deliver_notifications

        # Delivers what a lost wake-up left (services._enqueue_delivery): the outbox's retry sweep.
        register_job("notification retry sweep", deliver_notifications, every={"seconds": 30})

        from citysafe.core import todo
        from citysafe.notifications.selectors import unread_todos

        todo.register(unread_todos)  # the home page's 待办: unread inbox messages
