from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "citysafe.knowledge"
    label = "knowledge"
    verbose_name = _("法规知识库")

    def ready(self):
        from citysafe.knowledge.permissions import register

        register()
