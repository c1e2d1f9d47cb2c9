"""The generic detail page (core.kinds): no internal fields, dangerous actions apart from
editing, each going to a confirm page that says what will happen."""
import re

from django.urls import reverse

from citysafe.core.records import archive_record
from citysafe.registry.models import Enterprise


def _fields(response) -> dict:
    return dict(response.context["fields"])


def _head_actions(html: str) -> str:
    return re.search(r'<div class="page-head">.*?</div>\s*</div>', html, re.S).group(0)


def test_detail_hides_version_demo_flag_and_empty_archive_fields(client, world):
    client.force_login(world.admin)
    ent = world.enterprise_in_a
    response = client.get(reverse("registry:detail", args=["enterprises", ent.pk]))
    labels = set(_fields(response))
    assert {"版本", "演示数据", "归档时间", "归档人", "录入时间"}.isdisjoint(labels)
    assert "企业名称" in labels
    assert "演示数据" not in response.text and "<dt>版本</dt>" not in response.text


def test_an_archived_record_shows_when_it_was_archived(client, world):
    ent = world.enterprise_in_a
    archive_record(world.admin, Enterprise, ent.pk)
    client.force_login(world.admin)
    response = client.get(reverse("registry:detail", args=["enterprises", ent.pk]))
    fields = _fields(response)
    assert fields["归档时间"]


def test_archive_and_purge_sit_in_a_danger_block_apart_from_edit(client, world):
    client.force_login(world.admin)
    ent = world.enterprise_in_a
    html = client.get(reverse("registry:detail", args=["enterprises", ent.pk])).text
    head = _head_actions(html)
    assert "编辑" in head and "彻底删除" not in head and "归档" not in head
    zone = re.search(r'<section class="danger-zone".*?</section>', html, re.S).group(0)
    assert "危险操作" in zone
    assert reverse("registry:archive", args=["enterprises", ent.pk]) in zone
    assert reverse("registry:purge", args=["enterprises", ent.pk]) in zone
    assert 'class="button danger"' in zone


def test_the_confirm_pages_say_what_will_happen_and_change_nothing_on_get(client, world):
    client.force_login(world.admin)
    ent = world.enterprise_in_a
    archive = client.get(reverse("registry:archive", args=["enterprises", ent.pk]))
    assert archive.status_code == 200 and "归档后记录不再出现在列表中" in archive.text
    purge = client.get(reverse("registry:purge", args=["enterprises", ent.pk]))
    assert purge.status_code == 200 and "彻底删除不可恢复" in purge.text
    ent.refresh_from_db()
    assert not ent.is_archived


def test_a_grid_worker_sees_no_danger_block(client, world):
    client.force_login(world.grid_worker)
    place = world.grid_worker.grids.get()
    response = client.get(reverse("registry:detail", args=["areas", place.pk]))
    assert response.status_code == 200 and "危险操作" not in response.text
