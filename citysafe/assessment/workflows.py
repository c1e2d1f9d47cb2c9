"""Review and approval of a unit's assessment result (C21): the office submits the scored
result, the county leader approves it or returns it for rescoring (a note is required)."""
from django.utils.translation import gettext_lazy as _

from citysafe.assessment.models import CountyResult, UnitResult
from citysafe.core.roles import Role
from citysafe.core.workflow import Workflow

S = UnitResult.Status

RESULT_REVIEW = (
    Workflow("assessment_result", "status")
    .add("submit", {S.DRAFT}, S.SUBMITTED, {Role.ADMIN}, _("提交审核"))
    .add("approve", {S.SUBMITTED}, S.APPROVED, {Role.LEADER, Role.ADMIN}, _("审定"))
    .add("return", {S.SUBMITTED}, S.DRAFT, {Role.LEADER, Role.ADMIN}, _("退回重评"), requires_note=True)
)

C = CountyResult.Status

# The prefecture office's assessment of its counties: it scores, submits for its own review and
# publishes (the county then reads its result); a submitted result may be returned for rescoring.
COUNTY_REVIEW = (
    Workflow("assessment_county_result", "status")
    .add("submit", {C.DRAFT}, C.SUBMITTED, {Role.PREFECTURE}, _("提交审定"))
    .add("publish", {C.SUBMITTED}, C.PUBLISHED, {Role.PREFECTURE}, _("审定发布"))
    .add("return", {C.SUBMITTED}, C.DRAFT, {Role.PREFECTURE}, _("退回重评"), requires_note=True)
)
