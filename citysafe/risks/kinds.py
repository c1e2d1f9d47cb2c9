"""The risk record kinds, declared once each (core.kinds): API routers (/api/v1/<key>), pages
(/risks/<key>/…) and the scope-matrix cases come from these. Registered in RisksConfig.ready()."""
from django.utils.translation import gettext_lazy as _

from citysafe.core import scope
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.registry.models import Area, Industry
from citysafe.risks import forms, services
from citysafe.risks import schemas as s
from citysafe.risks.models import (
    Assessment,
    ControlMeasure,
    Inventory,
    MajorHazardInstallation,
    Method,
    RiskLevel,
    RiskPoint,
    Substance,
)
from citysafe.risks.services.lifecycle import archive_risk_point, restore_risk_point
from citysafe.risks.views.details import assessment_detail_extras, installation_detail_extras, risk_point_detail_extras


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.TOWNSHIP)).order_by("code")]


def _industries(user):
    return [(i.pk, i.name) for i in scope.narrow(user, Industry.objects.all()).order_by("code")]


def _point(obj):
    return {"type": "Point", "coordinates": [obj.lon, obj.lat]} if obj.lon is not None else None


TOWNSHIP = Filter("township_id", _("乡镇"), _townships)
LEVEL = Filter("level", _("风险等级"), fixed(RiskLevel.choices))
COMMON = {"namespace": "risks"}

RISK_POINTS = RecordKind(
    key="risk-points", singular="RiskPoint", model=RiskPoint, title=_("风险点"), **COMMON,
    search=("name", "description"),
    filters=("township_id", "village_id", "grid_id", "industry_id", "category", "level", "enterprise_id", "place_id",
             "area_id", "owner_enterprise_id", "control_level"),
    ordering=("id", "name", "level", "reassess_due", "updated_at"),
    related=("enterprise", "place", "area", "township", "grid", "industry"),
    detail_prefetch=("responsible_persons",),
    item=s.RiskPointOut, detail=s.RiskPointDetail, create_in=s.RiskPointCreate, update_in=s.RiskPointUpdate,
    create=services.create_risk_point, update=services.update_risk_point,
    archive=archive_risk_point, restore=restore_risk_point, form=forms.RiskPointForm,
    columns=[
        Column(_("风险点名称"), lambda o: o.name, "name"),
        Column(_("风险等级"), lambda o: o.get_level_display(), "level"),
        Column(_("关联对象"), lambda o: o.parent or "", ""),
        Column(_("所属乡镇"), lambda o: o.township or "", "township"),
        Column(_("管控层级"), lambda o: o.get_control_level_display(), "control_level"),
        Column(_("下次评估期限"), lambda o: o.reassess_due or "", "reassess_due"),
    ],
    page_filters=[TOWNSHIP, LEVEL, Filter("industry_id", _("行业"), _industries),
                  Filter("category", _("风险点类型"), fixed(RiskPoint.Category.choices))],
    geometry=lambda o: o.geometry or _point(o),
    detail_extras=risk_point_detail_extras, detail_templates=("risks/_risk_point_extras.html",),
    mixed_geometry=True,
)

ASSESSMENTS = RecordKind(
    key="assessments", singular="Assessment", model=Assessment, title=_("风险评估"), **COMMON,
    search=("risk_point__name", "reason"),
    filters=("risk_point_id", "method", "status", "level"),
    ordering=("id", "assessed_on", "level", "status"),
    related=("risk_point", "assessor", "reviewer"),
    item=s.AssessmentOut, create_in=s.AssessmentCreate, update_in=s.AssessmentUpdate,
    create=services.create_assessment, update=services.update_assessment, form=forms.AssessmentForm,
    columns=[
        Column(_("风险点"), lambda o: o.risk_point, "risk_point"),
        Column(_("评估方法"), lambda o: o.get_method_display(), "method"),
        Column(_("风险值"), lambda o: "" if o.score is None else f"{o.score:g}", ""),
        Column(_("风险等级"), lambda o: o.get_level_display(), "level"),
        Column(_("评估日期"), lambda o: o.assessed_on, "assessed_on"),
        Column(_("状态"), lambda o: o.get_status_display(), "status"),
    ],
    page_filters=[Filter("status", _("状态"), fixed(Assessment.Status.choices)),
                  Filter("method", _("评估方法"), fixed(Method.choices)), LEVEL],
    geometry=lambda o: None,
    detail_extras=assessment_detail_extras, detail_templates=("risks/_assessment_workflow.html",),
)

MEASURES = RecordKind(
    key="control-measures", singular="ControlMeasure", model=ControlMeasure, title=_("管控措施"), **COMMON,
    search=("risk_point__name", "description"),
    filters=("risk_point_id", "kind", "control_level", "responsible_person_id"),
    ordering=("id", "kind"),
    related=("risk_point", "responsible_person"),
    item=s.MeasureOut, create_in=s.MeasureCreate, update_in=s.MeasureUpdate,
    create=services.create_measure, update=services.update_measure, form=forms.MeasureForm,
    columns=[
        Column(_("风险点"), lambda o: o.risk_point, "risk_point"),
        Column(_("措施类别"), lambda o: o.get_kind_display(), "kind"),
        Column(_("措施内容"), lambda o: o.description[:60], ""),
        Column(_("管控层级"), lambda o: o.get_control_level_display(), "control_level"),
        Column(_("责任人"), lambda o: o.responsible_person or "", "responsible_person"),
    ],
    page_filters=[Filter("kind", _("措施类别"), fixed(ControlMeasure.Kind.choices))],
    geometry=lambda o: None,
)

SUBSTANCES = RecordKind(
    key="substances", singular="Substance", model=Substance, title=_("危险化学品目录"), **COMMON,
    search=("name", "cas", "hazard_class"), filters=(), ordering=("id", "name", "critical_quantity"),
    item=s.SubstanceOut, create_in=s.SubstanceCreate, update_in=s.SubstanceUpdate,
    create=services.create_substance, update=services.update_substance, form=forms.SubstanceForm,
    columns=[
        Column(_("名称"), lambda o: o.name, "name"),
        Column(_("CAS号"), lambda o: o.cas, ""),
        Column(_("危险性类别"), lambda o: o.hazard_class, ""),
        Column(_("临界量Q（吨）"), lambda o: f"{o.critical_quantity:g}", "critical_quantity"),
        Column(_("校正系数β"), lambda o: f"{o.beta:g}", ""),
    ],
    geometry=lambda o: None,
)

INSTALLATIONS = RecordKind(
    key="hazard-installations", singular="HazardInstallation", model=MajorHazardInstallation,
    title=_("重大危险源"), **COMMON,
    search=("unit_name", "enterprise__name"),
    filters=("enterprise_id", "township_id", "grid_id", "is_major", "grade"),
    ordering=("id", "unit_name", "r_value", "grade"),
    related=("enterprise", "township"),
    item=s.InstallationOut, create_in=s.InstallationCreate, update_in=s.InstallationUpdate,
    create=services.create_installation, update=services.update_installation, form=forms.InstallationForm,
    columns=[
        Column(_("单元名称"), lambda o: o.unit_name, "unit_name"),
        Column(_("所属企业"), lambda o: o.enterprise, "enterprise"),
        Column(_("S值"), lambda o: f"{o.s_value:.2f}", ""),
        Column(_("R值"), lambda o: f"{o.r_value:.2f}", "r_value"),
        Column(_("级别"), lambda o: o.get_grade_display(), "grade"),
    ],
    page_filters=[TOWNSHIP, Filter("is_major", _("构成重大危险源"), fixed([("true", _("是"))]))],
    geometry=_point,
    detail_extras=installation_detail_extras, detail_templates=("risks/_installation_extras.html",),
)

INVENTORIES = RecordKind(
    key="inventories", singular="Inventory", model=Inventory, title=_("危险化学品存量"), **COMMON,
    search=("installation__unit_name", "substance__name"),
    filters=("installation_id", "substance_id"), ordering=("id", "max_quantity"),
    related=("installation", "substance"),
    item=s.InventoryOut, create_in=s.InventoryCreate, update_in=s.InventoryUpdate,
    create=services.create_inventory, update=services.update_inventory, form=forms.InventoryForm,
    archive=services.archive_inventory,
    columns=[
        Column(_("单元"), lambda o: o.installation, "installation"),
        Column(_("危险化学品"), lambda o: o.substance, "substance"),
        Column(_("最大存在量（吨）"), lambda o: f"{o.max_quantity:g}", "max_quantity"),
    ],
    geometry=lambda o: None,
)

# Dependents before what they point at (PROTECT): whoever clears records kind by kind in this
# order (tests/data_io's empty registry) meets no protected reference.
KINDS = (ASSESSMENTS, MEASURES, INVENTORIES, INSTALLATIONS, RISK_POINTS, SUBSTANCES)
