from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "citysafe.knowledge"
    label = "knowledge"
    verbose_name = _("法规知识库")

    def ready(self):
        from citysafe.knowledge.permissions import register

        register()

        from citysafe.core import nav

        nav.register("knowledge", _("法规检索"), "knowledge:search", order=10)
        nav.register("knowledge", _("法规文库"), "knowledge:documents", order=15)
        nav.register("knowledge", _("事故案例库"), "knowledge:cases", order=20)
        nav.register("knowledge", _("问答"), "knowledge:faq", order=30)
