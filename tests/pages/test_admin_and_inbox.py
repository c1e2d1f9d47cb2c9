"""The configuration admin (admin role only, saves through services, delete archives) and
the inbox page (own messages only, mark-as-read audited)."""
import pytest
from django.urls import reverse

from citysafe.accounts.models import User
from citysafe.core.audit_models import AuditChannel, AuditRecord
from citysafe.notifications.models import InboxMessage, Notification
from citysafe.registry.models import Area, Industry


@pytest.mark.parametrize("role", ["leader", "department", "township", "grid", "enterprise"])
def test_admin_site_is_closed_to_other_roles_even_with_staff_flag(client, world, role):
    user = world.role_users()[role]
    User.objects.filter(pk=user.pk).update(is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_creates_and_edits_industry_through_the_service(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("admin:registry_industry_add"), {"code": "T99", "name": "测试行业", "description": ""})
    assert response.status_code == 302
    industry = Industry.objects.get(code="T99")
    audit = AuditRecord.objects.get(object_type="registry.Industry", object_id=str(industry.pk), action="create")
    assert audit.channel == AuditChannel.ADMIN and audit.actor == world.admin
    client.post(reverse("admin:registry_industry_change", args=[industry.pk]),
                {"code": "T99", "name": "改名行业", "description": ""})
    industry.refresh_from_db()
    assert industry.name == "改名行业"
    assert AuditRecord.objects.filter(object_id=str(industry.pk), object_type="registry.Industry",
                                      action="update", channel=AuditChannel.ADMIN).exists()


def test_admin_delete_archives_and_purge_action_deletes(client, world):
    industry = Industry.objects.create(code="T98", name="待删行业")
    client.force_login(world.admin)
    client.post(reverse("admin:registry_industry_delete", args=[industry.pk]), {"post": "yes"})
    industry.refresh_from_db()
    assert industry.archived_at is not None
    client.post(reverse("admin:registry_industry_changelist"),
                {"action": "purge_selected", "_selected_action": [industry.pk]})
    assert not Industry.objects.filter(pk=industry.pk).exists()
    actions = set(AuditRecord.objects.filter(object_type="registry.Industry", object_id=str(industry.pk))
                  .values_list("action", flat=True))
    assert actions == {"archive", "purge"}


def test_admin_organisation_edit_updates_industry_map_with_audit(client, world):
    org = world.other_department.organisation
    industry = world.enterprise_in_a.industry
    client.force_login(world.admin)
    ids = [*org.industries.values_list("pk", flat=True), industry.pk]
    response = client.post(reverse("admin:accounts_organisation_change", args=[org.pk]), {
        "kind": org.kind, "code": org.code, "name": org.name, "area": "", "industries": ids, "phone": org.phone})
    assert response.status_code == 302
    assert industry in org.industries.all()
    audit = AuditRecord.objects.filter(object_type="accounts.Organisation", object_id=str(org.pk)).latest("id")
    assert industry.pk in audit.after["industries"] and audit.channel == AuditChannel.ADMIN


def test_admin_validation_error_from_service_is_shown_and_nothing_saved(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("admin:registry_area_add"), {
        "code": "X-1", "name": "错误网格", "level": "grid", "parent": "", "population": "", "geometry": "null"},
        follow=True)
    assert "上级区域层级不正确" in response.text
    assert not Area.objects.filter(code="X-1").exists()


def test_audit_trail_is_read_only_in_admin(client, world):
    client.force_login(world.admin)
    record = AuditRecord.objects.order_by("id").first()
    assert client.get(reverse("admin:core_auditrecord_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditrecord_add")).status_code == 403
    assert client.post(reverse("admin:core_auditrecord_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_admin_pages_render_for_each_model(client, world):
    client.force_login(world.admin)
    for name in ("registry_area", "registry_industry", "accounts_organisation", "accounts_user", "accounts_apitoken",
                 "core_auditrecord", "core_workflowevent", "notifications_notification",
                 "notifications_inboxmessage"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:accounts_user_change", args=[world.grid_worker.pk])).status_code == 200


def _message(user, subject):
    note = Notification.objects.create(recipient=user, kind="test", subject=subject)
    return InboxMessage.objects.create(user=user, notification=note, subject=subject, body="正文")


def test_inbox_lists_own_messages_and_marks_read_without_audit(client, world):
    mine = _message(world.township_officer, "隐患整改提醒")
    _message(world.other_township_officer, "别人的消息")
    client.force_login(world.township_officer)
    page = client.get(reverse("notifications:inbox"))
    assert "隐患整改提醒" in page.text and "别人的消息" not in page.text
    assert page.context["unread"] == 1
    assert 'id="unread-badge">1<' in client.get(reverse("home")).text
    assert client.post(reverse("notifications:mark_read", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    # Reading is an acknowledgement receipt, not an audited change (docs/architecture.md).
    assert not AuditRecord.objects.filter(object_type="notifications.InboxMessage").exists()
    assert mine.notification.receipts.filter(status="acknowledged").exists()
    assert 'id="unread-badge"' not in client.get(reverse("home")).text


def test_marking_someone_elses_message_is_404(client, world):
    theirs = _message(world.other_township_officer, "别人的消息")
    client.force_login(world.township_officer)
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_inbox_longer_than_one_page_renders_its_pager(client, world):
    # The shared pager's page-jump form named a record kind's list URL; the inbox has none and
    # answered 500 as soon as a user had more than 30 messages.
    for n in range(31):
        _message(world.township_officer, f"消息{n}")
    client.force_login(world.township_officer)
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200 and 'class="pager"' in page.text
    assert client.get(reverse("notifications:inbox") + "?page=2").status_code == 200
