"""Turning audit records into deliveries.

One cursor row (FanoutCursor) is locked; the audit records after it that can be events are
read in id order (commit order, see sharing/feed.py) up to the head read first; for each event
and each active subscription that chose it, the record must be inside the subscriber's data
scope and area, and then a Delivery is inserted with the record's representation for that
subscriber. The cursor moves in the same transaction, so a crash repeats the whole batch or
none of it, and the unique (subscription, audit record, event) makes a repeat harmless.
"""
from django.db import transaction

from citysafe.core import scope
from citysafe.core.audit import committed_horizon
from citysafe.core.audit_models import AuditRecord
from citysafe.sharing.feed import changed_ids
from citysafe.sharing.models import Delivery, FanoutCursor, Subscription
from citysafe.sharing.resources import by_label
from citysafe.sharing.webhooks.events import OBJECT_TYPES, events_of

BATCH = 500


def _in_area(resource, queryset, area):
    if area is None or area.level == "county":
        return queryset
    path = scope._declared(resource.model).township  # the model's own declaration of where its township is
    return queryset.filter(**{path: area.pk}) if path else queryset.none()


def fan_out(batch: int = BATCH) -> tuple[int, int]:
    """Make the deliveries of up to `batch` audit records: (audit records read, deliveries made)."""
    made = 0
    # Every id below the horizon is committed (one audit chain per county: core.audit); taken
    # before this transaction, so the chain heads' share locks are not held while fanning out.
    horizon = committed_horizon()
    with transaction.atomic():
        cursor, _ = FanoutCursor.objects.select_for_update().get_or_create(pk=1)
        head = max(horizon, cursor.last_audit_id)
        rows = list(AuditRecord.objects.filter(pk__gt=cursor.last_audit_id, pk__lte=head, object_type__in=OBJECT_TYPES)
                    .order_by("pk")[:batch])
        subscriptions = list(Subscription.objects.filter(active=True).select_related("owner", "area"))
        resources = by_label()
        for audit in rows if subscriptions else ():
            resource = resources.get(audit.object_type)
            if resource is None:
                continue
            for object_id, before, after in changed_ids(audit.action, audit.object_id, audit.before, audit.after):
                for event in events_of(audit.object_type, audit.action, before, after):
                    for subscription in subscriptions:
                        if event in subscription.events and audit.pk > subscription.since_audit_id:
                            made += _deliver_later(subscription, resource, audit, event, int(object_id))
        cursor.last_audit_id = rows[-1].pk if len(rows) == batch else head
        cursor.save(update_fields=["last_audit_id"])
    return len(rows), made


def _deliver_later(subscription, resource, audit, event: str, object_id: int) -> int:
    owner = subscription.owner
    if not owner.is_active:
        return 0
    record = _in_area(resource, resource.visible(owner), subscription.area).filter(pk=object_id).distinct().first()
    if record is None:
        return 0  # outside the subscriber's scope or area
    payload = {"event": event, "resource": resource.key, "record_id": object_id, "audit_id": audit.pk,
               "occurred_at": audit.at.isoformat(), "data": resource.represent(owner, [record])[0]}
    _row, created = Delivery.objects.get_or_create(
        subscription=subscription, audit_id=audit.pk, event=event,
        defaults={"ordering_key": f"{resource.key}:{object_id}", "payload": payload})
    return int(created)
