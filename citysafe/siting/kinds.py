"""The safety-distance rule table as a record kind (core.kinds): /api/v1/safety-distance-rules,
pages /siting/safety-distance-rules/…, Excel import/export not needed (a short table)."""
from typing import Optional

from django import forms
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import NotOnCreate, Text, Version, choice_in, choice_out
from citysafe.siting.models import HazardousKind, SafetyDistanceRule, SensitiveKind
from citysafe.siting.services import rules


class SafetyDistanceRuleOut(Schema):
    id: int
    version: int
    hazardous_kind: choice_out(HazardousKind.choices)
    sensitive_kind: choice_out(SensitiveKind.choices)
    distance_m: float
    standard: str
    clause: str
    note: str


class _SafetyDistanceRuleUpdate(Schema):
    version: Version
    distance_m: Optional[float] = None
    standard: Optional[Text] = None
    clause: Optional[Text] = None
    note: Optional[Text] = None


SafetyDistanceRuleUpdate = patch_schema(_SafetyDistanceRuleUpdate, SafetyDistanceRule)


class SafetyDistanceRuleCreate(SafetyDistanceRuleUpdate):
    version: NotOnCreate = None
    hazardous_kind: choice_in(HazardousKind.choices)
    sensitive_kind: choice_in(SensitiveKind.choices)
    distance_m: float
    standard: Text


class SafetyDistanceRuleForm(RecordForm):
    model = SafetyDistanceRule
    hazardous_kind = forms.ChoiceField(label=_("危险源类别"), choices=HazardousKind.choices)
    sensitive_kind = forms.ChoiceField(label=_("敏感目标类别"), choices=SensitiveKind.choices)
    distance_m = forms.FloatField(label=_("最小安全距离（米）"), min_value=0.1, max_value=rules.MAX_DISTANCE_M)
    standard = forms.CharField(label=_("标准"), max_length=100)
    clause = forms.CharField(label=_("条款"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


RULES = RecordKind(
    key="safety-distance-rules", singular="SafetyDistanceRule", model=SafetyDistanceRule,
    title=_("安全距离规则"), namespace="siting",
    search=("standard", "clause", "note"), filters=("hazardous_kind", "sensitive_kind"),
    ordering=("id", "hazardous_kind", "distance_m"),
    item=SafetyDistanceRuleOut, create_in=SafetyDistanceRuleCreate, update_in=SafetyDistanceRuleUpdate,
    create=rules.create_rule, update=rules.update_rule, form=SafetyDistanceRuleForm,
    columns=[Column(_("危险源类别"), lambda o: o.get_hazardous_kind_display(), "hazardous_kind"),
             Column(_("敏感目标类别"), lambda o: o.get_sensitive_kind_display(), ""),
             Column(_("最小安全距离（米）"), lambda o: f"{o.distance_m:g}", "distance_m"),
             Column(_("标准"), lambda o: o.standard, ""), Column(_("条款"), lambda o: o.clause, "")],
    page_filters=[Filter("hazardous_kind", _("危险源类别"), fixed(HazardousKind.choices)),
                  Filter("sensitive_kind", _("敏感目标类别"), fixed(SensitiveKind.choices))],
    geometry=lambda o: None,
)
