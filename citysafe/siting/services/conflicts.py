"""Conflict analysis over the registry (kernels.safety_distance) and the decisions on a conflict:
turn it into a hazard (hazards.services) or accept it with a reason and an approver."""
import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.siting.models import Conflict, ConflictStatus, HazardousKind, SafetyDistanceRule, SensitiveKind
from citysafe.siting.sites import Site, hazardous_sites, sensitive_sites
from kernels.safety_distance import centre_of, find_conflicts, to_metres

HAZARDOUS_INDEX = {value: i for i, value in enumerate(HazardousKind.values)}
SENSITIVE_INDEX = {value: i for i, value in enumerate(SensitiveKind.values)}


def rule_table() -> tuple[np.ndarray, dict]:
    """The active rules as the kernel's (hazardous × sensitive) matrix, and the rule per cell."""
    matrix = np.full((len(HAZARDOUS_INDEX), len(SENSITIVE_INDEX)), np.nan)
    rules = {}
    for rule in SafetyDistanceRule.objects.filter(archived_at__isnull=True):
        cell = (HAZARDOUS_INDEX[rule.hazardous_kind], SENSITIVE_INDEX[rule.sensitive_kind])
        matrix[cell] = rule.distance_m
        rules[cell] = rule
    return matrix, rules


def conflicts_between(hazardous: list[Site], sensitive: list[Site], matrix: np.ndarray):
    """(hazardous site, sensitive site, distance, required) for every pair closer than its rule."""
    if not hazardous or not sensitive:
        return []
    centre = centre_of([s.geometry for s in hazardous], [s.geometry for s in sensitive])
    found = find_conflicts(
        to_metres([s.geometry for s in hazardous], centre), [HAZARDOUS_INDEX[s.kind] for s in hazardous],
        to_metres([s.geometry for s in sensitive], centre), [SENSITIVE_INDEX[s.kind] for s in sensitive], matrix)
    return [(hazardous[i], sensitive[j], float(d), float(r))
            for i, j, d, r in zip(found.hazardous, found.sensitive, found.distance_m, found.required_m, strict=True)]


UPDATED_FIELDS = ["hazardous_kind", "sensitive_kind", "hazardous_name", "sensitive_name", "hazardous_lon",
                  "hazardous_lat", "sensitive_lon", "sensitive_lat", "distance_m", "required_m", "rule", "township",
                  "grid", "industry", "enterprise", "place", "is_current"]


def _values(h: Site, s: Site, distance: float, required: float, rule) -> dict:
    return {"hazardous_kind": h.kind, "sensitive_kind": s.kind, "hazardous_name": h.name[:200],
                "sensitive_name": s.name[:200], "hazardous_lon": h.lon, "hazardous_lat": h.lat, "sensitive_lon": s.lon,
                "sensitive_lat": s.lat, "distance_m": round(distance, 2), "required_m": required, "rule": rule,
                "township_id": s.township_id, "grid_id": s.grid_id, "industry_id": h.industry_id,
                "enterprise_id": h.enterprise_id, "place_id": h.place_id, "is_current": True}


@transaction.atomic
def recompute_conflicts(note: str = "") -> dict:
    """Every pair of the registry closer than its rule, stored; pairs no longer in conflict are
    marked resolved (kept with their decision for the record). System work: no actor."""
    matrix, rules = rule_table()
    pairs = conflicts_between(hazardous_sites(), sensitive_sites(), matrix)
    existing = {(c.hazardous_ref, c.sensitive_ref): c for c in Conflict.objects.select_for_update()}
    seen, created, updated = set(), [], []
    for h, s, distance, required in pairs:
        if s.township_id is None:
            continue
        key = (h.ref, s.ref)
        seen.add(key)
        values = _values(h, s, distance, required, rules[(HAZARDOUS_INDEX[h.kind], SENSITIVE_INDEX[s.kind])])
        row = existing.get(key)
        if row is None:
            created.append(Conflict(hazardous_ref=h.ref, sensitive_ref=s.ref, **values))
            continue
        for name, value in values.items():
            setattr(row, name, value)
        updated.append(row)
    Conflict.objects.bulk_create(created, batch_size=1000)
    if updated:
        Conflict.objects.bulk_update(updated, UPDATED_FIELDS, batch_size=1000)
    resolved = [c.pk for key, c in existing.items() if key not in seen and c.is_current]
    Conflict.objects.filter(pk__in=resolved).update(is_current=False)
    counts = {"current": len(seen), "new": len(created), "resolved": len(resolved)}
    record_change(actor=None, action="recompute_conflicts", object_type="siting.Conflict", object_id="*",
                  object_repr=_("安全距离冲突重算"), after=counts, note=note[:200])
    return counts


def _open_decision(actor, pk) -> Conflict:
    conflict = scope.get_in_scope(actor, Conflict.objects.select_for_update(), pk)
    scope.require(actor, Conflict, scope.Action.CHANGE)
    if conflict.status != ConflictStatus.OPEN:
        raise ValidationError({"status": [ValidationError(_("该冲突已处置（%(s)s），不能重复处置")
                                                          % {"s": conflict.get_status_display()}, code="decided")]})
    if not conflict.is_current:
        raise ValidationError({"status": [ValidationError(_("该冲突已不存在（重算后已消除）"), code="resolved")]})
    return conflict


@transaction.atomic
def accept_conflict(actor, pk, *, reason: str, approver: str) -> Conflict:
    """Accepted with a reason (e.g. a fire wall, a risk assessment) and the approving official."""
    conflict = _open_decision(actor, pk)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [ValidationError(_("认可理由：必填，请说明为何可以接受该距离"), code="required")]
    if not (approver or "").strip():
        errors["approver"] = [ValidationError(_("批准人：必填，请填写批准认可的负责人"), code="required")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(conflict)
    conflict.status, conflict.accepted_reason, conflict.approver = ConflictStatus.ACCEPTED, reason.strip(), approver.strip()
    conflict.decided_by, conflict.decided_at = actor, timezone.now()
    conflict.save()
    record_change(actor=actor, action="accept_conflict", instance=conflict, before=before, after=snapshot(conflict))
    return conflict


@transaction.atomic
def conflict_to_hazard(actor, pk):
    """A hazard (issue 8's loop) on the hazardous site, citing the rule and the shortfall."""
    from citysafe.hazards.services.hazards import create_hazard

    conflict = _open_decision(actor, pk)
    rule = conflict.rule
    description = _("%(h)s 与 %(s)s 相距 %(d).1f 米，小于规定的 %(r)g 米（%(std)s %(clause)s），相差 %(short).1f 米") % {
        "h": conflict.hazardous_name, "s": conflict.sensitive_name, "d": conflict.distance_m,
        "r": conflict.required_m, "std": rule.standard, "clause": rule.clause, "short": conflict.shortfall_m}
    data = {"category": "chemicals" if conflict.hazardous_kind != HazardousKind.GAS_STATION else "gas",
            "description": description, "source": "inspection",
            "lon": conflict.hazardous_lon, "lat": conflict.hazardous_lat}
    if conflict.place_id:
        data["place_id"] = conflict.place_id
    elif conflict.enterprise_id:
        data["enterprise_id"] = conflict.enterprise_id
    hazard = create_hazard(actor, data)
    before = snapshot(conflict)
    conflict.status, conflict.hazard = ConflictStatus.HAZARD, hazard
    conflict.decided_by, conflict.decided_at = actor, timezone.now()
    conflict.save()
    record_change(actor=actor, action="conflict_to_hazard", instance=conflict, before=before, after=snapshot(conflict))
    return hazard
