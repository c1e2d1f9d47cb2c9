"""The generic list page (core.kinds): sorting by column, page numbers with a jump, the total,
and export links that always carry the filters on screen (also after an htmx swap)."""
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from citysafe.core.kinds import views
from citysafe.registry.models import Enterprise

LIST = reverse("registry:list", args=["enterprises"])


def _export_queries(html: str) -> dict[str, dict]:
    links = re.findall(r'data-export="([\w-]+)" href="([^"]+)"', html)
    return {name: parse_qs(urlsplit(unescape(href)).query) for name, href in links}


def _names(response) -> list[str]:
    return [str(cells[0][1]) for _obj, cells in response.context["rows"]]


def test_clicking_a_column_header_sorts_by_it_and_again_reverses(client, world):
    client.force_login(world.admin)
    page = client.get(LIST)
    assert 'href="?ordering=name"' in page.text  # the 企业名称 header is a sort link
    ascending = client.get(LIST, {"ordering": "name"})
    assert "企业名称 ▲" in ascending.text
    assert 'href="?ordering=-name"' in ascending.text  # clicking again sorts descending
    names = list(Enterprise.objects.order_by("name", "id").values_list("name", flat=True)[:views.PAGE_SIZE])
    assert _names(ascending) == names
    descending = client.get(LIST, {"ordering": "-name"})
    assert "企业名称 ▼" in descending.text
    assert _names(descending) == list(
        Enterprise.objects.order_by("-name", "id").values_list("name", flat=True)[:views.PAGE_SIZE])


def test_a_column_without_an_ordering_key_is_not_a_sort_link_and_a_bad_ordering_is_ignored(client, world):
    client.force_login(world.admin)
    response = client.get(LIST, {"ordering": "legal_representative"})
    assert response.status_code == 200 and response.context["ordering"] == ""
    assert "ordering=industry" not in response.text  # 行业 is not a declared ordering field


def test_sort_links_keep_the_filters_and_start_again_on_page_one(client, world):
    client.force_login(world.admin)
    response = client.get(LIST, {"q": "有限", "page": "2"})
    assert 'href="?q=%E6%9C%89%E9%99%90&amp;ordering=name"' in response.text


def test_pager_offers_first_last_and_a_page_jump_and_shows_the_total(client, world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(world.admin)
    total = Enterprise.objects.count()
    last = (total + 1) // 2
    response = client.get(LIST, {"ordering": "name", "page": "2"})
    assert f"共 {total} 条" in response.text
    for label in ("首页", "上一页", "下一页", "末页", "跳转"):
        assert label in response.text
    assert f"ordering=name&page={last}" in response.text
    jump = re.search(r'<form class="page-jump".*?</form>', response.text, re.S).group(0)
    assert 'name="ordering" value="name"' in jump and 'name="page"' in jump
    jumped = client.get(LIST, {"ordering": "name", "page": str(last)})
    assert jumped.context["page"].number == last


def test_filtering_through_htmx_updates_the_export_links_to_the_filters(client, world):
    client.force_login(world.admin)
    township = str(world.township_a.pk)
    response = client.get(LIST, {"township_id": township, "ordering": "-name"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="export-links"' in response.text and 'hx-swap-oob="true"' in response.text
    exports = _export_queries(response.text)
    assert exports["xlsx"]["township_id"] == [township] and exports["xlsx"]["format"] == ["xlsx"]
    assert exports["geojson"]["township_id"] == [township]
    assert exports["xlsx"]["ordering"] == ["-name"]


def test_the_full_page_export_links_do_not_carry_the_page_number(client, world):
    client.force_login(world.admin)
    response = client.get(LIST, {"q": "有限", "page": "2"})
    exports = _export_queries(response.text)
    assert exports["xlsx"]["q"] == ["有限"] and "page" not in exports["xlsx"]
