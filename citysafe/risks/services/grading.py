"""Setting a risk point's level: only from an accepted assessment, a threshold change that
re-grades it, or the major-hazard rule (an installation's risk point is at least 较大). The
effective level is the highest of the assessed level and the major-hazard minimum; the
control level and the reassessment due date follow from the rule tables; the areas it lies
in are updated incrementally (area_levels.shift_point). A system-derived write: locked,
version +1, audited (action "grade") with the reason."""
from django.db import transaction
from django.utils import timezone

from citysafe.core.audit import record_change, snapshot
from citysafe.risks.models import Assessment, RiskPoint
from citysafe.risks.services import rules
from citysafe.risks.services.area_levels import areas_of, highest, shift_point

GRADE_FIELDS = ("level", "assessed_level", "level_basis", "level_assessment", "assessed_on", "control_level",
                "reassess_due", "version", "updated_at")


def _minimum_from_installation(point: RiskPoint) -> int:
    installation = getattr(point, "installation", None) if point.pk else None
    if installation is None or installation.archived_at is not None or not installation.is_major:
        return 0
    return rules.major_hazard_minimum(installation.grade)


@transaction.atomic
def regrade_point(actor, point_id: int, *, assessment: Assessment | None = None, note: str = "",
                  audit: bool = True) -> tuple[RiskPoint, dict | None]:
    """Recompute one risk point's effective level (with `assessment` as its new basis, if
    given). Returns the point and the audit's before/after (None when nothing changed)."""
    point = RiskPoint.objects.select_for_update(of=("self",)).select_related("installation").get(pk=point_id)
    before = snapshot(point)
    old_level = point.level
    if assessment is not None:
        point.assessed_level = assessment.level
        point.level_assessment = assessment
        point.assessed_on = assessment.assessed_on
    elif point.level_assessment_id:
        point.assessed_level = Assessment.objects.filter(pk=point.level_assessment_id).values_list(
            "level", flat=True).first() or point.assessed_level
    minimum = _minimum_from_installation(point)
    point.level = highest(point.assessed_level, minimum)
    if point.level == 0:
        point.level_basis = RiskPoint.Basis.NONE
    elif minimum and (not point.assessed_level or minimum < point.assessed_level):
        point.level_basis = RiskPoint.Basis.MAJOR_HAZARD
    else:
        point.level_basis = RiskPoint.Basis.ASSESSMENT
    if point.level != old_level or assessment is not None:
        point.control_level = rules.default_control_level(point.level)
        point.reassess_due = rules.reassess_due(point.level, point.assessed_on or timezone.localdate())
    after = snapshot(point)
    if after == before:
        return point, None
    point.version += 1
    point.save(update_fields=list(GRADE_FIELDS))
    if point.archived_at is None:
        shift_point(areas_of(point.township_id, point.village_id, point.grid_id), old_level, point.level)
    change = {"before": {k: before.get(k) for k in ("level", "assessed_level", "level_basis")},
              "after": {k: after.get(k) for k in ("level", "assessed_level", "level_basis")}}
    if audit:
        record_change(actor=actor, action="grade", instance=point, before=before, after=snapshot(point), note=note)
    return point, change
