"""The home page gives each role its own work, counted inside its data scope, and a 待办
section that apps fill through core.todo."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from citysafe.core import todo
from citysafe.notifications.models import InboxMessage, Notification
from citysafe.registry.models import Area, Enterprise, Place

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _content(html: str) -> str:
    """The home page's own content, without the site header and navigation."""
    return html.split('<div class="home ')[1]


def _num(html: str, element_id: str) -> int:
    marker = f'id="{element_id}">'
    start = html.index(marker) + len(marker)
    return int(html[start:html.index("<", start)])


def test_admin_home_has_a_row_per_township_with_links_and_configuration(client, world):
    html = _home(client, world.admin)
    for township in Area.objects.filter(level="township"):
        assert township.name in html
        assert f"?township_id={township.pk}" in html
    assert reverse("io:index") in html
    assert 'id="recent-jobs"' in html


def test_every_configuration_link_on_the_admin_home_opens(client, world):
    # Industries have no record pages (the admin site edits them); the link was a 404.
    html = _home(client, world.admin)
    section = html.split('id="configuration"')[1].split("</section>")[0]
    links = re.findall(r'href="([^"]+)"', section)
    assert len(links) == 4
    for link in links:
        assert client.get(link).status_code == 200, link


def test_township_home_names_its_township_and_has_no_county_row(client, world):
    html = _home(client, world.township_officer)
    assert world.township_a.name in html.split('id="home-heading">')[1].split("</h1>")[0]
    assert "<td>县</td>" not in html
    assert world.township_b.name not in html
    villages = Area.objects.filter(level="village", township=world.township_a)
    assert villages.exists()
    for village in villages:
        assert f"?village_id={village.pk}" in html
    assert _num(html, "total-enterprises") == Enterprise.objects.filter(township=world.township_a).count()
    assert _num(html, "total-grids") == Area.objects.filter(level="grid", township=world.township_a).count()


def test_another_townships_figures_never_appear_on_a_township_home(client, world):
    html = _content(_home(client, world.other_township_officer))
    assert world.township_a.name not in html
    assert world.enterprise_in_a.name not in html


def test_leader_home_is_a_read_only_overview_distinct_from_the_admins(client, world):
    leader = _content(_home(client, world.leader))
    admin = _content(_home(client, world.admin))
    assert leader != admin
    assert 'id="by-status"' in leader and 'id="by-place-type"' in leader
    assert f"?operating_status={Enterprise.OperatingStatus.SUSPENDED}" in leader
    assert reverse("io:index") not in leader
    assert 'id="configuration"' not in leader
    assert "/new/" not in leader and "/create" not in leader


def test_department_home_counts_per_supervised_industry(client, world):
    html = _home(client, world.department)
    for industry in world.department.organisation.industries.all():
        assert f"?industry_id={industry.pk}" in html


def test_grid_worker_sees_only_its_grids_and_the_busiest_places(client, world):
    html = _home(client, world.grid_worker)
    assert f"?grid_id={world.grid.pk}" in html
    for other in Area.objects.filter(level="grid").exclude(pk__in=world.grid_worker.grids.all()):
        assert f"?grid_id={other.pk}\"" not in html
    busiest = (Place.objects.filter(grid=world.grid, people_present__isnull=False)
               .order_by("-people_present", "id").first())
    if busiest:
        assert busiest.name in html


def test_enterprise_home_counts_its_own_places(client, world):
    enterprise = world.enterprise_officer.enterprise
    owned = Place.objects.filter(owner_enterprise=enterprise)
    if not owned.exists():  # the demo assigns places to enterprises; make sure this one has some
        Place.objects.filter(township=enterprise.township, owner_enterprise__isnull=True).order_by("id")[:2] \
            .update(owner_enterprise=enterprise)
    expected = Place.objects.filter(owner_enterprise=enterprise, archived_at__isnull=True).count()
    html = _home(client, world.enterprise_officer)
    assert expected > 0
    assert _num(html, "total-places") == expected
    assert enterprise.get_standardisation_grade_display() in html
    first = owned.order_by("id").first()
    assert first.name in html


def test_a_provider_an_app_registers_shows_in_the_todo_section(client, world):
    def provider(user):
        return [todo.TodoItem(title=f"核查隐患-{user.username}", url="/hazards/1/", level="warning")]

    todo.register(provider)
    try:
        html = _home(client, world.grid_worker)
    finally:
        todo.unregister(provider)
    assert f"核查隐患-{world.grid_worker.username}" in html.split('id="todo"')[1].split("</section>")[0]


def test_unread_inbox_messages_are_listed_as_todos(client, world):
    note = Notification.objects.create(recipient=world.leader, kind="test", subject="请查阅月报")
    InboxMessage.objects.create(user=world.leader, notification=note, subject="请查阅月报", link="/registry/")
    todos = _home(client, world.leader).split('id="todo"')[1].split("</section>")[0]
    assert "请查阅月报" in todos
    assert reverse("notifications:inbox") in todos


def test_a_suspension_deadline_within_seven_days_is_listed_for_its_township_only(client, world):
    enterprise = world.enterprise_in_a
    Enterprise.objects.filter(pk=enterprise.pk).update(
        operating_status=Enterprise.OperatingStatus.SUSPENDED, due_at=timezone.now() + timedelta(days=3))
    later = world.enterprise_in_b
    Enterprise.objects.filter(pk=later.pk).update(
        operating_status=Enterprise.OperatingStatus.SUSPENDED, due_at=timezone.now() + timedelta(days=30))

    own = _home(client, world.township_officer).split('id="todo"')[1].split("</section>")[0]
    assert enterprise.name in own
    other = _home(client, world.other_township_officer).split('id="todo"')[1].split("</section>")[0]
    assert enterprise.name not in other
    assert later.name not in other  # 30 days away: not yet a to-do
