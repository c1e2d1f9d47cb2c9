"""Demo gatherings (after load_demo and load_risk_demo): the county public security bureau
(县公安局, code gaj) with its account dept_gaj, one licensed gathering taking place today (so
the risk map shows one), one awaiting the licence and one draft over its venue's capacity."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from citysafe.accounts.models import Organisation
from citysafe.core.attachments import store_attachment
from citysafe.core.roles import Role
from citysafe.registry.models import Area, Enterprise, Place, PlaceType
from citysafe.risks.gatherings.services import create_gathering, transition_gathering, update_gathering
from citysafe.risks.models import Gathering

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"


def ensure_authority():
    """The bureau and its account, whose password is the other demo accounts' (the admin's hash)."""
    county = Area.objects.filter(level=Area.Level.COUNTY).order_by("id").first()
    org, _created = Organisation.objects.get_or_create(
        code="gaj", defaults={"kind": Organisation.Kind.DEPARTMENT, "name": "县公安局", "area": county})
    user = get_user_model().objects.filter(username="dept_gaj").first()
    if user is None:
        admin = get_user_model().objects.filter(username="admin").first()
        user = get_user_model().objects.create(username="dept_gaj", role=Role.DEPARTMENT, organisation=org,
                                               last_name=org.name,
                                               password=admin.password if admin else make_password(None))
    return org, user


def _with_plans(actor, gathering: Gathering) -> Gathering:
    files = []
    for name in ("安全工作方案.pdf", "应急救援预案.pdf"):
        upload = ContentFile(PDF, name=name)
        files.append(store_attachment(actor, upload, owner=gathering))
    return update_gathering(actor, gathering.pk, {"security_plan_id": files[0].pk, "emergency_plan_id": files[1].pk},
                            expected_version=gathering.version)


@transaction.atomic
def build_gathering_demo() -> dict:
    _org, police = ensure_authority()
    admin = get_user_model().objects.get(username="admin")
    # The roomiest school or market of each of the first three townships (by code) that have one.
    venues = []
    for township in Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True).order_by("code"):
        venue = (Place.objects.filter(place_type__in=[PlaceType.SCHOOL, PlaceType.MARKET], capacity__gte=1500,
                                      township=township, archived_at__isnull=True).order_by("-capacity", "id").first())
        if venue is not None:
            venues.append(venue)
        if len(venues) == 3:
            break
    if len(venues) < 3:
        return {"gatherings": 0}
    start = timezone.now() + timedelta(days=30)
    made = []
    for n, (venue, name, share) in enumerate(zip(venues, ("县运动会", "农产品展销会", "元宵灯会"), (0.6, 0.8, 1.3),
                                                 strict=True)):
        organiser = (Enterprise.objects.filter(township=venue.township_id, archived_at__isnull=True).order_by("id")
                     .first() or Enterprise.objects.filter(archived_at__isnull=True).order_by("id").first())
        gathering = create_gathering(admin, {
            "name": name, "kind": ["sports", "exhibition", "fair"][n], "organiser_id": organiser.pk,
            "venue_id": venue.pk, "starts_at": start + timedelta(days=n), "ends_at": start + timedelta(days=n, hours=6),
            "expected_attendance": max(1000, int(venue.capacity * share)), "exits": 4,
            "exit_width_m": round(venue.capacity * share / 100 * 0.65 + 2, 1), "security_staff": 40,
            "content": "演示数据", "is_synthetic": True})
        made.append(_with_plans(admin, gathering))
    first = transition_gathering(admin, made[0].pk, "submit", expected_version=made[0].version)
    transition_gathering(police, first.pk, "approve", expected_version=first.version, note="演示：准予许可")
    # Demo only: the licensed gathering is moved to today after its licence, so the map shows
    # one taking place (the workflow itself requires applying 20 days ahead).
    now = timezone.now()
    Gathering.objects.filter(pk=first.pk).update(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2))
    transition_gathering(admin, made[1].pk, "submit", expected_version=made[1].version)
    return {"gatherings": len(made)}
