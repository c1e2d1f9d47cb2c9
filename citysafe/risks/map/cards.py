"""The risk card (风险卡片) a click on the map opens, and the notification card's data (风险告知卡):
measures, responsible persons, last assessment. Read through core.scope (404 outside);
personal data through core.masking like every page (names and phones; ID numbers never)."""
from citysafe.core import scope
from citysafe.risks.models import AccidentType, Assessment, ControlMeasure, RiskPoint


def card_data(user, pk) -> dict:
    point = scope.get_in_scope(user, RiskPoint.objects.select_related(
        "township", "grid", "industry", "enterprise", "place", "area", "owner_enterprise"), pk)
    return point_card(user, point)


def point_card(user, point: RiskPoint) -> dict:
    measures = [{"kind": m.get_kind_display(), "kind_code": m.kind, "description": m.description,
                 "control_level": m.get_control_level_display(),
                 "responsible": _person(user, m.responsible_person)}
                for m in scope.narrow(user, point.measures.select_related("responsible_person")).order_by("kind", "id")]
    persons = [_person(user, p) for p in scope.narrow(user, point.responsible_persons.all()).order_by("id")]
    last = (scope.narrow(user, point.assessments.filter(status=Assessment.Status.ACCEPTED))
            .order_by("-assessed_on", "-id").first())
    types = dict(AccidentType.choices)
    parent = point.parent
    return {
        "id": point.pk, "name": point.name, "level": point.level, "level_label": point.get_level_display(),
        "category": point.get_category_display(), "parent": str(parent) if parent and scope.may_read_related(
            user, parent) else "",
        "township": point.township.name if point.township_id else "",
        "industry": point.industry.name if point.industry_id else "",
        "control_level": point.get_control_level_display(),
        "reassess_due": point.reassess_due.isoformat() if point.reassess_due else "",
        "hazard_factors": list(point.hazard_factors or []),
        "accident_types": [str(types.get(t, t)) for t in point.accident_types or []],
        "measures": measures, "responsible_persons": [p for p in persons if p],
        "last_assessment": None if last is None else {
            "method": last.get_method_display(), "score": last.score, "level": last.get_level_display(),
            "date": last.assessed_on.isoformat(), "status": last.get_status_display()},
        "emergency": [m["description"] for m in measures if m["kind_code"] == ControlMeasure.Kind.EMERGENCY],
    }


def _person(user, person) -> str:
    """Name and phone of a responsible person the user may see (phones stay full: core.masking)."""
    if person is None or not scope.may_read_related(user, person):
        return ""
    phone = getattr(person, "phone", "") or ""
    return f"{person.name}（{phone}）" if phone else person.name
