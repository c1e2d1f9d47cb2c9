"""Issue 19, cross-county paths through notifications and files: a county's published warning
reaches only its own county's people (inbox, SMS, subscribers, MQTT topics), the prefecture
office's warning over its whole area reaches both, a county admin cannot read the other
county's warning; a county's inbox holds none of the other's notifications; attachments of one
county's records cannot be downloaded (or listed) by the other county's users, every role."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from citysafe.core import scope
from citysafe.core.attachments import attach_file
from citysafe.early_warning.delivery import fan_out, notifications_of
from citysafe.early_warning.models import Warning
from citysafe.early_warning.services import create_warning, default_times, transition_warning
from citysafe.registry.models import Area, Enterprise
from tests.security.county_paths_world import ROLES, fresh

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _townships(two, of_b: bool) -> list[int]:
    cut = two.before["registry.Area"]
    rows = Area.objects.filter(level="township", **({"pk__gt": cut} if of_b else {"pk__lte": cut})).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:2])


def _published(actor, townships, headline) -> Warning:
    onset, effective, expires = default_times()
    warning = create_warning(actor, {"warning_type": "rainstorm", "level": 2, "headline": headline,
                                     "description": "将出现强降雨。", "onset": onset, "effective": effective,
                                     "expires": expires, "areas": townships})
    for step in ("submit", "pass_review", "approve", "publish"):
        warning = transition_warning(actor, warning.pk, step, expected_version=warning.version)
    assert warning.status == Warning.Status.PUBLISHED
    return warning


def _reached(two, warning) -> dict[bool, int]:
    """county (True: the second) -> notifications of the warning to its users and persons."""
    fan_out(warning.pk)
    counted = {True: 0, False: 0}
    for note in notifications_of(warning).select_related("recipient", "person"):
        if note.recipient_id is not None:
            counted[note.recipient.username.startswith("gh_")] += 1
        elif note.person_id is not None:
            counted[two.is_b_row("registry.Person", note.person_id)] += 1
        elif (note.payload or {}).get("township_code"):
            counted[note.payload["township_code"].startswith("622924")] += 1
    return counted


def test_a_county_warning_reaches_only_its_own_county_and_the_prefectures_reaches_both(two):
    pref = fresh(two.prefecture)
    whole = _published(pref, _townships(two, True) + _townships(two, False), "临夏州暴雨橙色预警（跨县测试）")
    reached = _reached(two, whole)
    assert reached[True] > 0 and reached[False] > 0, reached
    # A warning of the prefecture over the second county only, as a county's own warning is:
    # (a county admin's own warning is issued through the same fan-out; the four steps need
    # reviewers the small second county does not have).
    own = _published(pref, _townships(two, True), "广河县暴雨橙色预警（跨县测试）")
    reached = _reached(two, own)
    assert reached[True] > 0 and reached[False] == 0, reached


def test_a_county_admin_cannot_read_the_other_countys_warning(two):
    b_admin = fresh(two.b["admin"])
    onset, effective, expires = default_times()
    warning = create_warning(b_admin, {"warning_type": "rainstorm", "level": 3, "headline": "广河县自有预警（跨县测试）",
                                       "description": "将出现强降雨。", "onset": onset, "effective": effective,
                                       "expires": expires, "areas": _townships(two, True)})
    for role in ROLES:
        user = fresh(two.a[role])
        assert not scope.narrow(user, Warning.objects.filter(pk=warning.pk)).exists(), role
        client = Client()
        client.force_login(user)
        assert client.get(f"/api/v1/warnings/{warning.pk}").status_code == 404, role
        assert client.get(f"/api/v1/warnings/{warning.pk}/deliveries").status_code == 404, role
    assert scope.narrow(fresh(two.b["admin"]), Warning.objects.filter(pk=warning.pk)).exists()


def test_a_countys_inbox_holds_none_of_the_other_countys_notifications(two):
    from citysafe.notifications.models import InboxMessage
    from citysafe.notifications.services import notify

    a_admin, b_admin = fresh(two.a["admin"]), fresh(two.b["admin"])
    for note in notify(a_admin, kind="test", subject="东乡县内部通知（跨县测试）", body="仅东乡县"):
        InboxMessage.objects.create(user=a_admin, notification=note, subject=note.subject)  # what delivery does
    client = Client()
    client.force_login(b_admin)
    assert "东乡县内部通知（跨县测试）" not in client.get("/notifications/").content.decode()
    client.force_login(a_admin)
    assert "东乡县内部通知（跨县测试）" in client.get("/notifications/").content.decode()


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("role", ROLES)
def test_attachments_of_one_countys_records_cannot_be_downloaded_by_the_others_users(two, media_in_tmp, role):
    files = {}
    for of_b in (True, False):
        cut = two.before["registry.Enterprise"]
        enterprise = Enterprise.objects.filter(**({"pk__gt": cut} if of_b else {"pk__lte": cut}),
                                               archived_at__isnull=True).order_by("pk").first()
        admin = fresh((two.b if of_b else two.a)["admin"])
        files[of_b] = attach_file(admin, "registry.enterprise", enterprise.pk,
                                  SimpleUploadedFile("整改通知书.pdf", PDF, content_type="application/pdf"))
    for of_b in (True, False):
        client = Client()
        client.force_login(fresh((two.b if of_b else two.a)[role]))
        assert client.get(f"/api/v1/attachments/{files[not of_b].pk}").status_code == 404, (role, of_b)
    client = Client()
    client.force_login(fresh(two.b["admin"]))
    assert client.get(f"/api/v1/attachments/{files[True].pk}").status_code == 200


def test_a_countys_webhook_subscriptions_and_deliveries_are_invisible_to_the_other_county(two):
    from citysafe.sharing.models import Subscription

    mine = Subscription.objects.create(owner=fresh(two.a["admin"]), name="东乡县订阅", url="http://127.0.0.1:9/x",
                                       secret="s" * 64, events=["hazard.registered"])
    client = Client()
    client.force_login(fresh(two.b["admin"]))
    assert client.get(f"/api/v1/webhooks/{mine.pk}/deliveries").status_code == 404
    listed = client.get("/api/v1/webhooks")
    assert listed.status_code == 200 and "东乡县订阅" not in listed.content.decode()
