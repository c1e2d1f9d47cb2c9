"""The site navigation, filled by the apps. Core declares the groups (their order is the
header's order); each app registers its pages in its AppConfig.ready():

    nav.register("risk", _("风险点"), "risks:list", args=("risk-points",), order=10,
                 visible=lambda user: user.role != "enterprise")

The header (templates/base.html, `{% site_nav as groups %}`) shows a group with one page as a
plain link and a group with several as a menu, so the header stays one line however many
capabilities are installed. A page whose URL does not resolve (an app not mounted) is left
out, as is a group with nothing for the user."""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    order: int


@dataclass(frozen=True)
class NavItem:
    group: str
    label: str
    url_name: str
    args: tuple = ()
    order: int = 100
    visible: Callable | None = field(default=None, compare=False)


GROUPS: dict[str, NavGroup] = {}
ITEMS: list[NavItem] = []


def register_group(key: str, label, order: int) -> None:
    GROUPS[key] = NavGroup(key, label, order)


def register(group: str, label, url_name: str, *, args: tuple = (), order: int = 100,
             visible: Callable | None = None) -> None:
    if group not in GROUPS:
        raise ValueError(f"unknown nav group {group!r}; core.nav declares the groups")
    item = NavItem(group, label, url_name, tuple(args), order, visible)
    if any(i.group == group and i.url_name == url_name and i.args == item.args for i in ITEMS):
        return  # ready() ran twice (tests): one entry per page
    ITEMS.append(item)


register_group("home", _("首页"), 0)
register_group("registry", _("基础数据"), 10)
register_group("map", _("地图"), 15)
register_group("risk", _("风险管控"), 20)
register_group("hazard", _("隐患治理"), 30)
register_group("supervise", _("监管执法"), 35)
register_group("monitor", _("监测预警"), 40)
register_group("emergency", _("应急救援"), 50)
register_group("knowledge", _("法规知识"), 60)
register_group("system", _("系统"), 90)
register("home", _("首页"), "home")


def for_user(user) -> list[dict]:
    """The groups the user sees, in order: [{"key", "label", "items": [{"label", "url"}]}]."""
    groups = []
    for group in sorted(GROUPS.values(), key=lambda g: g.order):
        items = []
        for item in sorted((i for i in ITEMS if i.group == group.key), key=lambda i: i.order):
            if item.visible is not None and not item.visible(user):
                continue
            try:
                url = reverse(item.url_name, args=item.args)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url})
        if items:
            groups.append({"key": group.key, "label": group.label, "items": items})
    return groups
