"""Writes the public makes without signing in: subscriptions (confirmed by a code sent
through the outbox) and danger reports (险情报告). Rate-limited per client address, counted
in the database (every web process sees the same count); the address is kept only as a hash."""
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.audit import record_change, snapshot
from citysafe.core.validation import check_location, check_phone, check_text, field_error
from citysafe.early_warning.models import DangerReport, Subscription
from citysafe.notifications.services import notify
from citysafe.notifications.targets import Target


class RateLimited(Exception):
    """Too many requests from one client address within the hour."""


def client_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def _limit(model, address: str) -> None:
    per_hour = int(getattr(settings, "PUBLIC_FORM_PER_HOUR", 5))
    since = timezone.now() - timedelta(hours=1)
    if model.objects.filter(client_hash=client_hash(address), created_at__gte=since).count() >= per_hour:
        raise RateLimited


def _digest(code: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:subscription:{code}".encode()).hexdigest()


def _target(channel: str, address: str) -> Target:
    if channel == Subscription.Channel.SMS:
        return Target.phone(check_phone(address, field="address"))
    return Target.email(address).validated()


@transaction.atomic
def subscribe(client: str, *, channel: str, address: str, area_ids=(), lon=None, lat=None) -> Subscription:
    """A new (or renewed) subscription, unconfirmed until the code sent to `address` comes back."""
    _limit(Subscription, client)
    target = _target(channel, address.strip())
    if (lon is None) != (lat is None):
        raise field_error("lon", _("经度和纬度须同时填写"), "location_pair")
    if lon is not None:
        check_location(lon, lat, field="lon")
    if lon is None and not area_ids:
        raise field_error("areas", _("请选择关注的乡镇，或填写位置"), "required")
    county = _county_of_subscription(area_ids, lon, lat)
    code = f"{secrets.randbelow(10**6):06d}"
    subscription, _created = Subscription.objects.update_or_create(
        channel=channel, address=target.address,
        defaults={"lon": lon, "lat": lat, "code_digest": _digest(code), "confirmed_at": None, "cancelled_at": None,
                  "client_hash": client_hash(client), "created_at": timezone.now(), "county_id": county})
    subscription.areas.set(area_ids)
    notify(target, kind="subscription_code", subject=_("预警订阅确认码"),
           body=_("您的预警订阅确认码：%(code)s（30分钟内有效）") % {"code": code},
           channels=(channel,), dedupe_key=f"subscription-code:{subscription.pk}:{code}",
           expires_at=timezone.now() + timedelta(minutes=30))
    return subscription


def _county_of_subscription(area_ids, lon, lat) -> int | None:
    """The county whose office keeps the subscription (residents' personal data stay with the
    county they subscribed to): the county of the chosen areas (one county only), else the
    county whose outline holds the location. None: no county known (read as the home county)."""
    from citysafe.registry.counties import county_at
    from citysafe.registry.models import Area

    if len(Area.objects.filter(level=Area.Level.COUNTY).values_list("pk", flat=True)[:2]) < 2:
        return None  # one county: the subscription keeps none (the home county's), as before
    if area_ids:
        counties = set(Area.objects.filter(pk__in=list(area_ids)).values_list("county", flat=True))
        if len(counties) > 1:
            raise field_error("areas", _("关注区域须在同一个县（区）内"), "one_county")
        return next(iter(counties), None)
    return county_at(lon, lat) if lon is not None else None


@transaction.atomic
def confirm_subscription(*, channel: str, address: str, code: str) -> Subscription:
    wrong = field_error("code", _("确认码不正确或已过期"), "code")
    subscription = Subscription.objects.select_for_update().filter(channel=channel, address=address.strip()).first()
    if subscription is None or not subscription.code_digest or \
            subscription.created_at < timezone.now() - timedelta(minutes=30) or \
            not secrets.compare_digest(subscription.code_digest, _digest(code.strip())):
        raise wrong
    subscription.confirmed_at, subscription.code_digest = timezone.now(), ""
    subscription.save(update_fields=["confirmed_at", "code_digest"])
    return subscription


@transaction.atomic
def report_danger(client: str, data: dict) -> DangerReport:
    """险情报告: stored for staff (scoped to the township it lies in), audited as the public."""
    from citysafe.registry.models import Area

    _limit(DangerReport, client)
    for name in ("place", "description"):
        check_text(data[name], name, multiline=name == "description")
    report = DangerReport(kind=data["kind"], place=data["place"], description=data["description"],
                          contact_name=data.get("contact_name", ""), contact_phone=data.get("contact_phone", ""),
                          client_hash=client_hash(client))
    if data.get("contact_phone"):
        report.contact_phone = check_phone(data["contact_phone"], field="contact_phone")
    if data.get("lon") is not None and data.get("lat") is not None:
        point = check_location(data["lon"], data["lat"], field="lon")
        report.lon, report.lat = point.x, point.y
        from shapely.geometry import shape

        for pk, outline in Area.objects.filter(level="township", geometry__isnull=False).values_list("pk", "geometry"):
            if shape(outline).covers(point):
                report.township_id = pk
                break
    report.save()
    _forward(report)
    record_change(actor=None, action="create", instance=report, before=None, after=snapshot(report),
                  note="public danger report")
    return report


def _forward(report: DangerReport) -> None:
    """Hand the report to the registered sink (the hazards app's public reports, hooks.py) and
    keep the link back; a sink's refusal leaves the report stored here, unforwarded."""
    import logging

    from django.core.exceptions import ValidationError

    from citysafe.early_warning.hooks import danger_report_sink

    sink = danger_report_sink()
    if sink is None:
        return
    try:
        with transaction.atomic():  # a savepoint: a refusal does not poison the report's transaction
            forwarded = sink(report)
    except ValidationError as exc:
        logging.getLogger(__name__).warning("danger report %s not forwarded: %s", report.pk, exc)
        return
    if forwarded is not None:
        report.forwarded_to, report.tracking_code = forwarded.ref, forwarded.tracking_code
        report.save(update_fields=["forwarded_to", "tracking_code"])
