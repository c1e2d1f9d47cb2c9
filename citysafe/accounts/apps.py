from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "citysafe.accounts"
    label = "accounts"
    verbose_name = _("账户与组织")

    def ready(self):
        from citysafe.accounts import permissions

        permissions.register()  # who may write organisations, user accounts and API tokens (core.scope)
