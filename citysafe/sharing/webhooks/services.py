"""Subscriptions: create, change, delete — permission (core.scope's table), the owner's own
rows only, one transaction, audited without the secret."""
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.core.validation import text_problem
from citysafe.registry.models import Area
from citysafe.sharing.feed import current_cursor
from citysafe.sharing.models import Subscription
from citysafe.sharing.webhooks.events import EVENT_NAMES
from citysafe.sharing.webhooks.transport import UrlRefused, check_url

FIELDS = ("name", "url", "events", "area_id", "active")


def _audit_view(subscription: Subscription) -> dict:
    # What the audit trail keeps of a subscription: everything but the secret.
    return {"name": subscription.name, "url": subscription.url, "events": subscription.events,
            "area_id": subscription.area_id, "active": subscription.active, "owner_id": subscription.owner_id}


def _apply(actor, subscription: Subscription, data: dict) -> None:
    errors = {}
    if "name" in data:
        name = (data["name"] or "").strip()
        problem = text_problem(name) if name else _("此字段为必填项")
        if problem:
            errors["name"] = problem
        subscription.name = name[:100]
    if "url" in data:
        try:
            check_url(data["url"] or "")
        except UrlRefused as exc:
            errors["url"] = str(exc)
        subscription.url = data["url"]
    if "events" in data:
        events = list(dict.fromkeys(data["events"] or []))
        unknown = [e for e in events if e not in EVENT_NAMES]
        if not events or unknown:
            errors["events"] = _("请至少选择一个事件；可选：%(choices)s") % {"choices": "、".join(EVENT_NAMES)}
        subscription.events = events
    if "area_id" in data:
        area_id = data["area_id"]
        if area_id is not None:
            # An area the owner sees, township or county level (the events inside it).
            visible = scope.narrow(actor, Area.objects.filter(level__in=["county", "township"]))
            if not visible.filter(pk=area_id).exists():
                errors["area_id"] = _("所选的区域不存在、不是县或乡镇，或不在您的数据范围内")
        subscription.area_id = area_id
    if "active" in data:
        subscription.active = bool(data["active"])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_subscription(actor, data: dict) -> tuple[Subscription, str]:
    """The new subscription and its secret (shown to the caller once)."""
    scope.require(actor, Subscription, scope.Action.CREATE)
    subscription = Subscription(owner=actor, secret=secrets.token_hex(32), since_audit_id=current_cursor())
    _apply(actor, subscription, {"active": True, "area_id": None, **data, "name": data.get("name"),
                                 "url": data.get("url"), "events": data.get("events")})
    subscription.save()
    record_change(actor=actor, action="create", instance=subscription, after=_audit_view(subscription))
    return subscription, subscription.secret


def _own(actor, pk) -> Subscription:
    return Subscription.objects.select_for_update().get(pk=pk, owner=actor)


@transaction.atomic
def update_subscription(actor, pk, data: dict) -> Subscription:
    scope.require(actor, Subscription, scope.Action.CHANGE)
    subscription = _own(actor, pk)
    before = _audit_view(subscription)
    _apply(actor, subscription, {k: v for k, v in data.items() if k in FIELDS})
    subscription.save()
    record_change(actor=actor, action="update", instance=subscription, before=before, after=_audit_view(subscription))
    return subscription


@transaction.atomic
def rotate_secret(actor, pk) -> str:
    scope.require(actor, Subscription, scope.Action.CHANGE)
    subscription = _own(actor, pk)
    subscription.secret = secrets.token_hex(32)
    subscription.save(update_fields=["secret"])
    record_change(actor=actor, action="rotate_secret", instance=subscription, after={"rotated": True})
    return subscription.secret


@transaction.atomic
def delete_subscription(actor, pk) -> None:
    """Deletes the subscription and its delivery log (undelivered events are dropped with it)."""
    scope.require(actor, Subscription, scope.Action.ARCHIVE)
    subscription = _own(actor, pk)
    before = _audit_view(subscription)
    object_id = str(subscription.pk)
    subscription.delete()
    record_change(actor=actor, action="purge", object_type=Subscription._meta.label, object_id=object_id,
                  object_repr=before["name"], before=before)
