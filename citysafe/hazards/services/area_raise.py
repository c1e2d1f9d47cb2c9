"""While a major hazard is open its area is raised on the risk map (risks' raise_area), and
lowered when it closes or is rejected (clear_raise). The area is the hazard's grid, else its
village, else its township; remembered on the hazard so a later move cannot strand a raise."""
from django.utils.translation import gettext as _

from citysafe.hazards.models import Grade, Hazard
from citysafe.hazards.services.audited import update_audited
from citysafe.risks.services.area_levels import clear_raise, raise_area

MAJOR_HAZARD_LEVEL = 1  # 重大 (red): an open major hidden hazard (common practice in 双重预防 systems)


def source_of(hazard: Hazard) -> str:
    return f"hazards.Hazard:{hazard.pk}"


def hold_raise(hazard: Hazard, *, actor) -> None:
    if hazard.grade != Grade.MAJOR or not hazard.is_open:
        return
    area_id = hazard.grid_id or hazard.village_id or hazard.township_id
    if area_id is None:
        return
    raise_area(area_id, MAJOR_HAZARD_LEVEL, _("重大隐患未销号：%(code)s") % {"code": hazard.code or hazard.pk},
               source_of(hazard), actor=actor)
    if hazard.raised_area_id != area_id:
        update_audited(hazard, actor=actor, action="hazard_raised_area", values={"raised_area_id": area_id})


def release_raise(hazard: Hazard, *, actor, reason: str = "") -> None:
    if hazard.raised_area_id is None:
        return
    clear_raise(hazard.raised_area_id, source_of(hazard), str(reason), actor=actor)
    update_audited(hazard, actor=actor, action="hazard_raised_area", values={"raised_area_id": None})
