"""Addressable targets, each kind validated; channels only listed when they exist; links
limited to the platform's own pages; enqueueing atomic on a non-database task backend."""
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks import default_task_backend

from citysafe.notifications.channels import Channel, DeliveryResult
from citysafe.notifications.models import InboxMessage, Notification, Receipt, TargetKind
from citysafe.notifications.services import notify, notify_many
from citysafe.notifications.targets import Target
from citysafe.notifications.tasks import deliver_notifications
from citysafe.registry.models import Person


class GatewayChannel(Channel):
    """Stands for an SMS / e-mail gateway: reaches persons and addresses."""

    target_kinds = frozenset({TargetKind.PERSON, TargetKind.PHONE, TargetKind.EMAIL})
    seen: list[dict] = []

    def deliver(self, notification, *, idempotency_key):
        person = notification.person
        type(self).seen.append({"kind": notification.target_kind, "address": notification.address,
                                "phone": person.phone if person else None, "key": idempotency_key})
        return DeliveryResult(Receipt.Status.SENT, "accepted by gateway")


def with_channels(settings, **extra):
    settings.NOTIFICATION_CHANNELS = {**settings.NOTIFICATION_CHANNELS, **extra}


def messages_of(exc_info, field):
    return [str(m) for m in exc_info.value.message_dict[field]]


def test_a_warning_reaches_a_person_a_phone_number_and_an_email_address(world, settings):
    with_channels(settings, gateway=f"{__name__}.GatewayChannel")
    GatewayChannel.seen = []
    person = Person.objects.exclude(phone="").order_by("id").first()
    rows = notify_many([person, Target.phone(" 138 0013 8000"), Target.email("duty@example.cn")],
                       kind="warning.issued", subject="暴雨橙色预警", channels=("gateway",), dedupe_key="w:1")
    assert [(r.target_kind, r.person_id, r.address) for r in rows] == [
        ("person", person.pk, ""), ("phone", None, "13800138000"), ("email", None, "duty@example.cn")]
    deliver_notifications.call()
    assert [(s["kind"], s["address"], s["phone"]) for s in GatewayChannel.seen] == [
        ("person", "", person.phone), ("phone", "13800138000", None), ("email", "duty@example.cn", None)]
    assert {s["key"] for s in GatewayChannel.seen} == {r.idempotency_key for r in rows}
    assert set(Receipt.objects.filter(notification__in=rows).values_list("status", flat=True)) == {"sent"}


@pytest.mark.parametrize("target, rule", [
    (Target.phone("12345"), "电话号码格式不正确"),
    (Target.email("not-an-address"), "电子邮箱格式不正确"),
    (Target.webhook("ftp://gateway.local/hook"), "http或https"),
    (Target.webhook("javascript:alert(1)"), "http或https"),
    (Target.mqtt("citysafe/warnings/#"), "通配符"),
    (Target.mqtt("$SYS/broker"), "通配符"),
    (Target.phone(""), "不能为空"),
])
def test_each_target_kind_is_validated_naming_the_rule(world, target, rule):
    with pytest.raises(ValidationError) as exc_info:
        notify(target, kind="test", subject="x", channels=("webhook",))
    assert any(rule in message for message in messages_of(exc_info, "target"))
    assert not Notification.objects.filter(kind="test").exists()


def test_a_channel_refuses_targets_it_cannot_reach(world):
    person = Person.objects.order_by("id").first()
    with pytest.raises(ValidationError) as exc_info:
        notify(person, kind="test", subject="x", channels=("inbox",))  # the inbox has only users
    assert "不能发送给此类接收对象" in messages_of(exc_info, "target")[0]
    with pytest.raises(ValidationError):
        notify("13800138000", kind="test", subject="x")  # a bare string is not a target


def test_webhook_and_mqtt_targets_are_stored_as_addresses(world):
    [hook] = notify(Target.webhook("https://gateway.county.local/warnings"), kind="test", subject="x",
                    channels=("webhook",))
    assert (hook.target_kind, hook.address, hook.recipient_id) == ("webhook", "https://gateway.county.local/warnings",
                                                                   None)
    assert Target.mqtt("citysafe/warnings/township-1").validated().address == "citysafe/warnings/township-1"


def test_channel_choices_are_the_registered_channels_only(world, settings):
    names = [name for name, _ in Notification._meta.get_field("channel").choices]
    assert names == ["email", "inbox", "sms", "webhook"]  # no mqtt without a broker configured
    with_channels(settings, gateway=f"{__name__}.GatewayChannel")
    assert [name for name, _ in Notification._meta.get_field("channel").choices] == [
        "email", "gateway", "inbox", "sms", "webhook"]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JavaScript:alert(1)", "//evil.example/x",
                                  "/\\evil.example", "https://evil.example/", "data:text/html,x", "hazards/1/",
                                  "/x\nSet-Cookie"])
def test_a_notification_link_must_be_a_path_on_the_platform(world, link):
    with pytest.raises(ValidationError) as exc_info:
        notify(world.grid_worker, kind="test", subject="x", link=link)
    assert "本平台内" in messages_of(exc_info, "link")[0]
    [row] = notify(world.grid_worker, kind="test", subject="x", link="/registry/enterprises/?q=a:b")
    assert row.link == "/registry/enterprises/?q=a:b"


def test_inbox_never_renders_a_javascript_link(client, world):
    # Written around the service (an old row, an import, a bug elsewhere): the page still refuses it.
    for link in ("javascript:alert(document.cookie)", "//evil.example/login", "/\\evil.example"):
        note = Notification.objects.create(recipient=world.grid_worker, kind="test", subject=f"诱导链接{link}")
        InboxMessage.objects.create(user=world.grid_worker, notification=note, subject="诱导链接", link=link)
    note = Notification.objects.create(recipient=world.grid_worker, kind="test", subject="正常链接")
    InboxMessage.objects.create(user=world.grid_worker, notification=note, subject="正常链接", link="/notifications/")
    client.force_login(world.grid_worker)
    page = client.get(reverse("notifications:inbox")).text
    assert "javascript:" not in page and "evil.example" not in page
    assert page.count("诱导链接") == 3
    assert '<a href="/notifications/">正常链接</a>' in page


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                      "QUEUES": ["default", "notifications"]}})
def test_with_a_non_database_task_backend_the_job_is_enqueued_only_on_commit(world, django_capture_on_commit_callbacks):
    default_task_backend.clear()
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(world.grid_worker, kind="test", subject="回滚")
        raise RuntimeError("the announced change fails")
    assert default_task_backend.results == []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(world.grid_worker, kind="test", subject="提交")
        assert default_task_backend.results == []  # not before the commit
    for callback in callbacks:
        callback()
    [job] = default_task_backend.results
    assert job.task.module_path == "citysafe.notifications.tasks.deliver_notifications"
