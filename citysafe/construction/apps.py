from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructionConfig(AppConfig):
    name = "citysafe.construction"
    label = "construction"
    verbose_name = _("建筑施工安全")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from citysafe.construction import permissions
        from citysafe.construction.kinds import KINDS, PERMITS, PROJECTS
        from citysafe.construction.models import ConstructionProject
        from citysafe.construction.services.projects import keep_parties
        from citysafe.core import nav
        from citysafe.core.kinds import register

        permissions.register()
        for kind in KINDS:
            register(kind)
        post_save.connect(keep_parties, sender=ConstructionProject, dispatch_uid="construction_parties")
        nav.register("supervise", _("建设工程项目"), "construction:list", args=(PROJECTS.key,), order=70)
        nav.register("supervise", _("危险作业票"), "construction:list", args=(PERMITS.key,), order=71)
