"""The registry's pages in the header (core.nav)."""
from django.utils.translation import gettext_lazy as _

from citysafe.core import nav
from citysafe.core.roles import Role


def _not_enterprise(user) -> bool:
    return user.role != Role.ENTERPRISE


def _configurer(user) -> bool:
    return user.role == Role.ADMIN and user.is_staff


def register_nav() -> None:
    nav.register("registry", _("企业"), "registry:list", args=("enterprises",), order=10)
    nav.register("registry", _("场所设施"), "registry:list", args=("places",), order=20)
    nav.register("registry", _("人员"), "registry:list", args=("persons",), order=30)
    nav.register("registry", _("行政区域"), "registry:list", args=("areas",), order=40, visible=_not_enterprise)
    nav.register("registry", _("组织机构"), "registry:list", args=("organisations",), order=50,
                 visible=_not_enterprise)
    nav.register("registry", _("导入导出"), "io:index", order=90)
    nav.register("map", _("地图"), "registry_map:page")
    nav.register("system", _("系统配置"), "admin:index", visible=_configurer)
