"""External CAP alerts become draft warnings (from an upload, the API, or a configured URL
fetched by a job), reviewed and approved like any other before they are published here."""
import urllib.request

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Polygon
from shapely.ops import unary_union

from citysafe.accounts.models import Organisation
from citysafe.core.scope import counties_of
from citysafe.core.validation import field_error
from citysafe.early_warning import areas as area_rules
from citysafe.early_warning.cap.parse import CapError, max_bytes, parse_alert
from citysafe.early_warning.models import AreaKind, CapSource, Warning
from citysafe.early_warning.services import create_warning
from citysafe.registry.counties import county_for_write
from citysafe.registry.models import Area


def _area_fields(parsed, county: Area | None = None) -> dict:
    """Our areas by code where the alert names them (a county code: every township), else the
    alert's polygons and circles cut to the county; an alert that misses the county is refused.
    `county`: the county the draft is made in (a source's county; None: one-county deployment)."""
    codes = set(parsed.geocodes)
    if codes:
        names_county = Area.objects.filter(level=Area.Level.COUNTY, code__in=codes, archived_at__isnull=True).exists()
        found = Area.objects.filter(archived_at__isnull=True, level__in=["township", "village", "grid"])
        # A county code: the townships of that county (not of every county of the deployment).
        found = found.filter(level="township", county__code__in=codes) if names_county else found.filter(code__in=codes)
        if county is not None:
            found = found.filter(county=county)
        ids = list(found.values_list("pk", flat=True))
        if ids:
            return {"area_kind": AreaKind.AREAS, "areas": ids}
    shapes = [Polygon(points) for points in parsed.polygons]
    shapes += [area_rules.circle_polygon(lon, lat, radius) for lon, lat, radius in parsed.circles if radius > 0]
    shapes = [s if s.is_valid else s.buffer(0) for s in shapes]
    # Simplified before the cut, so the cut stays inside the outline the services check against.
    clipped = area_rules.clip_to_county(unary_union(shapes).simplify(0.0002), getattr(county, "pk", None)) \
        if shapes else None
    if clipped is None:
        raise field_error("area", _("CAP消息的预警区域不在本县范围内"), "area_outside")
    return {"area_kind": AreaKind.POLYGON, "geometry": area_rules.as_geojson(clipped)}


def import_cap(actor, data: bytes, *, source: str = "", county: Area | None = None) -> Warning:
    """One CAP message → one draft warning; CapError/ValidationError name what is wrong and
    nothing is stored. `county` (several counties: the source's): the draft's areas lie in it
    and its issuing organisation is that county's safety office."""
    try:
        parsed = parse_alert(data)
    except CapError as exc:
        raise field_error(exc.field, exc.message, exc.code) from None
    fields = {**parsed.fields, **_area_fields(parsed, county)}
    if county is not None:
        office = Organisation.objects.filter(kind=Organisation.Kind.OFFICE, area=county).order_by("pk").first()
        if office is not None:
            fields["issuing_department_id"] = office.pk
    now = timezone.now()
    if fields["expires"] <= now:
        raise field_error("expires", _("该CAP消息已过期，不再导入"), "cap_expired")
    text = data.decode("utf-8", "replace") if parsed else ""
    origin = {"source": f"{source or parsed.sender} / {parsed.identifier}"[:200], "imported_cap": text[:200_000]}
    with transaction.atomic():
        return create_warning(actor, fields, origin=origin)


def fetch_source(source: CapSource, actor) -> int:
    """Fetch one configured URL (a CAP alert, or an Atom/RSS feed whose entries link CAP
    alerts is left to a later version: one alert per URL), import it once per identifier."""
    request = urllib.request.Request(source.url, headers={"Accept": "application/cap+xml, application/xml"})  # noqa: S310 (admin-configured http/https URL)
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        data = response.read(max_bytes() + 1)
    try:
        parsed = parse_alert(data)
    except CapError as exc:
        raise field_error(exc.field, exc.message, exc.code) from None
    if parsed.identifier in (source.seen_identifiers or []):
        return 0
    import_cap(actor, data, source=source.name, county=_source_county(actor, source))
    CapSource.objects.filter(pk=source.pk).update(
        seen_identifiers=[*(source.seen_identifiers or [])[-499:], parsed.identifier])
    return 1


def _source_county(actor, source: CapSource) -> Area | None:
    """The county a source's drafts are made in: its own (a source without one, written before
    the deployment had several counties, is the home county's); None in a one-county deployment."""
    counties = counties_of(actor)
    if counties.single:
        return None
    return county_for_write(actor, source.county_id or counties.home)


def fetch_all_sources() -> dict:
    from citysafe.core.workflow.system import as_system

    report = {"imported": 0, "failed": 0}
    with as_system() as system:
        for source in CapSource.objects.filter(is_active=True):
            error = ""
            try:
                report["imported"] += fetch_source(source, system)
            except (ValidationError, OSError, ValueError) as exc:
                report["failed"] += 1
                error = str(exc)[:2000]
            CapSource.objects.filter(pk=source.pk).update(last_fetched_at=timezone.now(), last_error=error)
    return report
