"""The header's navigation is filled by the apps (core.nav): groups in core's order, pages the
user may open, a one-page group as a plain link, several as a menu."""
import pytest
from django.test import Client

from citysafe.core import nav

pytestmark = pytest.mark.django_db


def labels(groups):
    return [(g["key"], [str(i["label"]) for i in g["items"]]) for g in groups]


def test_groups_follow_core_order_and_hide_what_the_role_may_not_open(world):
    admin = labels(nav.for_user(world.admin))
    keys = [key for key, _ in admin]
    assert keys == sorted(keys, key=lambda k: nav.GROUPS[k].order)
    assert dict(admin)["registry"] == ["企业", "场所设施", "人员", "行政区域", "组织机构", "导入导出"]
    assert "system" in dict(admin)
    officer = dict(labels(nav.for_user(world.enterprise_officer)))
    assert officer["registry"] == ["企业", "场所设施", "人员", "导入导出"]
    assert "system" not in officer


def test_an_unknown_group_is_refused_at_registration():
    with pytest.raises(ValueError, match="unknown nav group"):
        nav.register("nonexistent", "x", "home")


def test_header_shows_a_one_page_group_as_a_link_and_a_larger_group_as_a_menu(world):
    # Every installed group has several pages now; a group of one page is made for the test.
    nav.register_group("zz_one", "单页组", 95)
    nav.register("zz_one", "单页", "knowledge:search")
    try:
        client = Client()
        client.force_login(world.admin)
        html = client.get("/").content.decode()
        assert 'aria-controls="nav-registry"' in html  # 基础数据: a menu
        assert 'aria-controls="nav-zz_one"' not in html  # one page: a plain link
        assert "单页</a>" in html and "单页组" not in html  # the link is the page, named as the page
    finally:
        del nav.GROUPS["zz_one"]
        nav.ITEMS[:] = [i for i in nav.ITEMS if i.group != "zz_one"]
