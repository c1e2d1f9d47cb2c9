"""Build the demo county's risk data through the real services (so the audit trail, the
workflow events and the area levels are what users would produce): risk points of gas
stations, hazardous-chemical and LPG storage, crowded places, bridges, reservoir banks and
construction sites, their assessments (enterprise self-assessments reviewed by the
supervising department; departments and townships confirming their own 一般/低 and the county
office reviewing their 重大/较大; a few left in the review queue or returned), measures, a
handful of major hazard installations graded from their inventories, and an identification
round. Deterministic (ordered by id, fixed choices); idempotent (a second run does nothing)."""
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from citysafe.core.roles import Role
from citysafe.registry.models import Area, Enterprise, Place
from citysafe.risks.demo import catalogue as cat
from citysafe.risks.models import Assessment, IdentificationRound, MajorHazardInstallation, RiskPoint, Substance
from citysafe.risks.services import (
    create_assessment,
    create_installation,
    create_inventory,
    create_measure,
    create_risk_point,
    transition_assessment,
)
from citysafe.risks.services.area_levels import recompute_area_levels


class Actors:
    def __init__(self):
        users = get_user_model().objects.filter(is_active=True, is_service_account=False)
        self.admin = users.filter(role=Role.ADMIN).order_by("id").first()
        self.reviewer = users.filter(role=Role.ADMIN).exclude(pk=self.admin.pk).order_by("id").first()
        self.by_industry = {}
        for user in users.filter(role=Role.DEPARTMENT).select_related("organisation").order_by("id"):
            for industry in user.organisation.industries.values_list("pk", flat=True):
                self.by_industry.setdefault(industry, user)
        self.by_township = {u.organisation.area_id: u for u in users.filter(role=Role.TOWNSHIP).select_related(
            "organisation").order_by("id")}
        self.by_enterprise = {u.enterprise_id: u for u in users.filter(role=Role.ENTERPRISE).order_by("id")}

    def department(self, point: RiskPoint):
        return self.by_industry.get(point.industry_id)


def _assessed_on(n: int) -> date:
    # Spread over the last ~3 years, so some reassessments are overdue and some due soon.
    return timezone.localdate() - timedelta(days=(n * 37) % 1100)


def _assess(actors: Actors, point: RiskPoint, assessor, inputs, n: int) -> Assessment | None:
    if assessor is None:
        return None
    a = create_assessment(assessor, {"risk_point_id": point.pk, "method": "lec", "inputs": dict(zip("lec", inputs, strict=True)),
                                     "assessed_on": _assessed_on(n), "is_synthetic": True,
                                     "reason": "全县风险辨识评估（演示数据）"})
    if n % 29 == 7:
        return a  # a draft, still being written
    if assessor.role != Role.ENTERPRISE and a.level in (3, 4):
        return transition_assessment(assessor, a.pk, "confirm", expected_version=a.version)
    a = transition_assessment(assessor, a.pk, "submit", expected_version=a.version)
    if n % 19 == 3:
        return a  # waiting in the review queue
    reviewer = actors.department(point) if assessor.role == Role.ENTERPRISE else actors.reviewer
    if reviewer is None or reviewer.pk == assessor.pk:
        reviewer = actors.admin if assessor.pk != actors.admin.pk else actors.reviewer
    if reviewer is None:
        return a
    if n % 23 == 5:
        return transition_assessment(reviewer, a.pk, "return", expected_version=a.version,
                                     note="危险有害因素辨识不全，请补充后重新提交")
    return transition_assessment(reviewer, a.pk, "accept", expected_version=a.version, note="同意")


def _measures(actor, point: RiskPoint, measures, person_id) -> None:
    for kind, text in measures:
        create_measure(actor, {"risk_point_id": point.pk, "kind": kind, "description": text,
                               "responsible_person_id": person_id, "is_synthetic": True})


def _point(actors, profile, n, *, name, parent: dict, assessor, person_ids) -> RiskPoint:
    point = create_risk_point(actors.admin, {
        "name": name, "category": profile["category"], **parent, "hazard_factors": profile["factors"],
        "accident_types": profile["accidents"], "responsible_person_ids": person_ids, "is_synthetic": True})
    inputs = profile["inputs"][n % len(profile["inputs"])]
    _assess(actors, point, assessor(point), inputs, n)
    _measures(actors.admin, point, profile["measures"], person_ids[0] if person_ids else None)
    return point


def _places(actors: Actors, counts: dict, start: int) -> int:
    n = start
    for place_type, profile in cat.PLACE_KINDS.items():
        places = Place.objects.filter(place_type=place_type, archived_at__isnull=True, is_synthetic=True).order_by("id")
        for index, place in enumerate(places.iterator()):
            if index % profile["every"]:
                continue
            persons = list(place.responsible_persons.order_by("id").values_list("pk", flat=True)[:2])
            _point(actors, profile, n, name=f"{place.name}{profile['suffix']}", parent={"place_id": place.pk},
                   assessor=actors.department, person_ids=persons)
            counts["risk_points"] += 1
            n += 1
    return n


def _enterprises(actors: Actors, counts: dict, start: int) -> int:
    n = start
    for code, profile in cat.ENTERPRISE_KINDS.items():
        enterprises = Enterprise.objects.filter(industry__code=code, archived_at__isnull=True,
                                                is_synthetic=True).order_by("id")
        for index, enterprise in enumerate(enterprises.iterator()):
            if index % profile["every"]:
                continue
            persons = list(enterprise.persons.order_by("id").values_list("pk", flat=True)[:2])
            officer = actors.by_enterprise.get(enterprise.pk)
            _point(actors, profile, n, name=f"{enterprise.name}{profile['suffix']}",
                   parent={"enterprise_id": enterprise.pk},
                   assessor=lambda point, officer=officer: officer or actors.department(point), person_ids=persons)
            counts["risk_points"] += 1
            n += 1
    return n


def _areas(actors: Actors, counts: dict, start: int) -> int:
    n = start
    for township in Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True).order_by("code"):
        for profile in cat.AREA_POINTS:
            officer = actors.by_township.get(township.pk)
            _point(actors, profile, n, name=f"{township.name}{profile['suffix']}", parent={"area_id": township.pk},
                   assessor=lambda point, officer=officer: officer, person_ids=[])
            counts["risk_points"] += 1
            n += 1
    return n


def _installations(actors: Actors, counts: dict) -> None:
    substances = {s.cas: s for s in Substance.objects.filter(archived_at__isnull=True)}
    hosts = list(Enterprise.objects.filter(industry__code__in=("hazchem", "lpg", "gas_station"),
                                           archived_at__isnull=True, is_synthetic=True).order_by("industry__code", "id"))
    # Spread over the county: every k-th candidate.
    step = max(1, len(hosts) // max(1, len(cat.INSTALLATIONS)))
    for index, (unit_name, holdings) in enumerate(cat.INSTALLATIONS):
        if index * step >= len(hosts):
            break
        enterprise = hosts[index * step]
        unit = create_installation(actors.admin, {"unit_name": unit_name, "enterprise_id": enterprise.pk,
                                                  "is_synthetic": True})
        for cas, tonnes in holdings:
            substance = substances.get(cas)
            if substance is not None:
                create_inventory(actors.admin, {"installation_id": unit.pk, "substance_id": substance.pk,
                                                "max_quantity": tonnes, "is_synthetic": True})
        counts["installations"] += 1


@transaction.atomic
def build_risk_demo(verbose=print) -> dict:
    if RiskPoint.objects.filter(is_synthetic=True).exists():
        return {"already_loaded": RiskPoint.objects.filter(is_synthetic=True).count()}
    actors = Actors()
    if actors.admin is None:
        raise RuntimeError("load_demo first: no admin account")
    counts = {"risk_points": 0, "installations": 0}
    if not IdentificationRound.objects.exists():
        IdentificationRound.objects.create(started_on=date(timezone.localdate().year - 2, 3, 1),
                                           note="全县安全风险全面辨识评估（演示数据）")
    n = _places(actors, counts, 0)
    n = _enterprises(actors, counts, n)
    _areas(actors, counts, n)
    _installations(actors, counts)
    recompute_area_levels()
    counts["assessments"] = Assessment.objects.filter(is_synthetic=True).count()
    counts["major_hazard_installations"] = MajorHazardInstallation.objects.filter(is_major=True).count()
    return counts
