"""The emergency app's record kinds, declared once each (generated pieces: kindkit.py)."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citysafe.core.kinds import Filter, fixed
from citysafe.emergency import models as m
from citysafe.emergency.kindkit import Spec, build, col
from citysafe.emergency.rules import check_material, check_plan, default_incident, plan_defaults
from citysafe.emergency.views.incidents import command_context

PLACE = ("township", "grid", "enterprise", "lon", "lat", "contact", "phone", "note")
LOCATED_REQUIRED = ("code", "name", "township")


def _located(model, key, singular, title, own, columns, filters=()):
    return Spec(model, key=key, singular=singular, title=title, fields=("code", "name", *own, *PLACE),
                required=(*LOCATED_REQUIRED, *[f for f in own if f in _REQUIRED_OWN]),
                columns=[col(_("名称"), "name", "name"), col(_("编号"), "code", "code"), *columns,
                         col(_("所属乡镇"), "township")],
                filters=("township_id", *filters))


_REQUIRED_OWN = {"team_type", "specialty", "shelter_type", "effective_area_m2", "station_class", "source_type",
                 "grade"}

SPECS = [
    _located(m.Stockpile, "stockpiles", "Stockpile", _("物资储备库"), ("level",), [col(_("储备级别"), "level")],
             ("level",)),
    Spec(m.Material, key="materials", singular="Material", title=_("应急物资"),
         fields=("stockpile", "code", "name", "category", "quantity", "unit", "minimum_stock", "expires_on"),
         required=("stockpile", "code", "name", "unit"), filters=("category", "stockpile_id"),
         columns=[col(_("物资名称"), "name", "name"), col(_("编号"), "code", "code"), col(_("类别"), "category"),
                  col(_("库存数量"), "quantity"), col(_("单位"), "unit"), col(_("最低库存"), "minimum_stock"),
                  col(_("有效期至"), "expires_on"), col(_("储备库"), "stockpile")],
         check=check_material),
    _located(m.RescueTeam, "teams", "RescueTeam", _("救援队伍"),
             ("team_type", "member_count", "members", "skills", "equipment", "vehicles", "vehicle_count"),
             [col(_("队伍类型"), "team_type"), col(_("队员人数"), "member_count")], ("team_type",)),
    _located(m.Expert, "experts", "Expert", _("应急专家"), ("specialty", "title", "employer"),
             [col(_("专业领域"), "specialty"), col(_("工作单位"), "employer")], ("specialty",)),
    _located(m.Shelter, "shelters", "Shelter", _("应急避难场所"),
             ("shelter_type", "effective_area_m2", "capacity", "facilities"),
             [col(_("场所类型"), "shelter_type"), col(_("有效避难面积（㎡）"), "effective_area_m2"),
              col(_("可容纳人数"), "capacity")], ("shelter_type",)),
    _located(m.FireStation, "fire-stations", "FireStation", _("消防站"), ("station_class", "staff", "vehicle_count"),
             [col(_("站级"), "station_class"), col(_("消防车数"), "vehicle_count")], ("station_class",)),
    _located(m.WaterSource, "water-sources", "WaterSource", _("消防水源"), ("source_type", "capacity_m3", "is_working"),
             [col(_("水源类型"), "source_type"), col(_("完好可用"), "is_working")], ("source_type",)),
    _located(m.Hospital, "hospitals", "Hospital", _("医院"), ("grade", "beds", "has_emergency_department"),
             [col(_("医院等级"), "grade"), col(_("床位数"), "beds")], ("grade",)),
    Spec(m.MutualAidAgreement, key="mutual-aid", singular="MutualAidAgreement", title=_("互助协议"),
         fields=("code", "name", "township", "enterprise", "team", "signed_on", "expires_on", "terms"),
         required=("code", "name", "township", "team"),
         columns=[col(_("协议名称"), "name", "name"), col(_("编号"), "code", "code"), col(_("救援队伍"), "team"),
                  col(_("签约企业"), "enterprise"), col(_("到期日期"), "expires_on")]),
    Spec(m.Plan, key="plans", singular="Plan", title=_("应急预案"),
         fields=("code", "name", "level", "incident_type", "parent", "township", "enterprise", "status",
                 "approved_on", "review_years", "review_due", "content"),
         required=("code", "name", "level", "township"), filters=("township_id", "level", "status"),
         columns=[col(_("预案名称"), "name", "name"), col(_("编号"), "code", "code"), col(_("预案层级"), "level"),
                  col(_("状态"), "status"), col(_("下次评估日期"), "review_due"), col(_("上级预案"), "parent")],
         check=check_plan, defaults=plan_defaults),
    Spec(m.Drill, key="drills", singular="Drill", title=_("应急演练"),
         fields=("code", "name", "plan", "township", "enterprise", "planned_on", "held_on", "scenario",
                 "participant_count", "participants", "findings"),
         required=("code", "name", "plan", "township"),
         columns=[col(_("演练名称"), "name", "name"), col(_("编号"), "code", "code"), col(_("所演练预案"), "plan"),
                  col(_("计划日期"), "planned_on"), col(_("实施日期"), "held_on")]),
    Spec(m.ImprovementAction, key="drill-actions", singular="ImprovementAction", title=_("演练改进措施"),
         fields=("code", "drill", "description", "responsible", "due_on", "status", "done_on"),
         required=("code", "drill", "description"), filters=("status",), search=("description", "code"),
         columns=[col(_("改进措施"), "description"), col(_("编号"), "code", "code"), col(_("演练"), "drill"),
                  col(_("完成期限"), "due_on"), col(_("状态"), "status")]),
    Spec(m.Incident, key="incidents", singular="Incident", title=_("突发事件"),
         fields=("title", "incident_type", "severity", "township", "grid", "enterprise", "lon", "lat", "address",
                 "deaths", "injuries", "missing", "description"),
         required=("title", "incident_type", "severity", "township", "lon", "lat"),
         filters=("township_id", "status", "severity", "incident_type"), search=("title", "code"),
         columns=[col(_("事件名称"), "title"), col(_("事件编号"), "code", "code"), col(_("事件类型"), "incident_type"),
                  col(_("事件级别"), "severity"), col(_("状态"), "status"), col(_("所属乡镇"), "township")],
         defaults=default_incident, readonly=("code", "status"),
         detail_extras=lambda request, obj: command_context(request, obj),
         detail_templates=("emergency/_incident_command.html",)),
]

# Registered dependents first: whoever empties the kinds in this order (tests/data_io's round
# trip) deletes incidents before the teams they dispatched, materials before their stockpiles.
_FIRST = ["incidents", "mutual-aid", "drill-actions", "drills", "plans", "materials"]
SPECS.sort(key=lambda spec: _FIRST.index(spec.key) if spec.key in _FIRST else len(_FIRST))
KINDS = [build(spec) for spec in SPECS]
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
# 处置中 (every state but 已结束): the dashboard's incidents-in-progress drill-down
KIND_BY_KEY["incidents"].page_filters.append(Filter("stage", _("办理阶段"), fixed([("active", _("未结束"))]),
                                                    where={"active": ~Q(status=m.Incident.Status.CLOSED)}))
