"""The hazard record kinds, declared once each (core.kinds): API routers (/api/v1/<key>),
pages (/hazards/<key>/…) and the scope-matrix cases come from these."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citysafe.core import masking, scope
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.hazards import forms
from citysafe.hazards import schemas as s
from citysafe.hazards.models import (
    OPEN_STATES,
    Category,
    Grade,
    Hazard,
    PublicReport,
    Reward,
    RewardRule,
    Source,
    Status,
)
from citysafe.hazards.services import hazards, records
from citysafe.hazards.views.details import hazard_detail_extras, report_detail_extras
from citysafe.registry.models import Area


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.TOWNSHIP)).order_by("code")]


def _mask_reporters(rows, user):
    for row in rows:
        row["reporter_name"] = masking.mask_name(row.get("reporter_name", ""))
        row["reporter_phone"] = masking.mask_phone(row.get("reporter_phone", ""))


def _point(obj):
    return {"type": "Point", "coordinates": [obj.lon, obj.lat]} if obj.lon is not None else None


COMMON = {"namespace": "hazards"}

HAZARDS = RecordKind(
    key="hazards", singular="Hazard", model=Hazard, title=_("隐患"), **COMMON,
    search=("code", "description", "responsible_unit"),
    filters=("township_id", "grid_id", "industry_id", "status", "grade", "category", "source", "enterprise_id",
             "place_id", "area_id", "risk_point_id", "owner_enterprise_id", "is_overdue", "is_listed"),
    ordering=("id", "found_at", "rectification_deadline", "status", "grade"),
    related=("enterprise", "place", "area", "risk_point", "township"),
    item=s.HazardOut, detail=s.HazardDetail, create_in=s.HazardCreate, update_in=s.HazardUpdate,
    create=hazards.create_hazard, update=hazards.update_hazard, form=forms.HazardForm,
    columns=[
        Column(_("隐患编号"), lambda o: o.code or "", "id"),
        Column(_("隐患描述"), lambda o: o.description[:40], ""),
        Column(_("隐患类别"), lambda o: o.get_category_display(), ""),
        Column(_("隐患等级"), lambda o: o.get_grade_display(), "grade"),
        Column(_("状态"), lambda o: o.get_status_display() + ("（" + str(_("逾期")) + "）" if o.is_overdue else ""),
               "status"),
        Column(_("所属乡镇"), lambda o: o.township or "", ""),
        Column(_("整改期限"), lambda o: o.rectification_deadline or "", "rectification_deadline"),
    ],
    page_filters=[Filter("township_id", _("乡镇"), _townships), Filter("status", _("状态"), fixed(Status.choices)),
                  Filter("grade", _("隐患等级"), fixed(Grade.choices[1:])),
                  Filter("category", _("隐患类别"), fixed(Category.choices)),
                  Filter("source", _("来源"), fixed(Source.choices)),
                  # the dashboard's drill-downs (and the 待办 link ?is_overdue=true) land here
                  Filter("is_overdue", _("逾期"), fixed([("true", _("已逾期"))])),
                  Filter("stage", _("办理阶段"), fixed([("open", _("未销号"))]),
                         where={"open": Q(status__in=OPEN_STATES)})],
    geometry=_point, detail_extras=hazard_detail_extras, detail_templates=("hazards/_hazard_loop.html",),
)

REPORTS = RecordKind(
    key="public-reports", singular="PublicReport", model=PublicReport, title=_("群众举报"), **COMMON,
    search=("tracking_code", "description", "address"), filters=("township_id", "grid_id", "status", "category"),
    ordering=("id", "created_at", "status"), related=("township",),
    item=s.ReportOut, detail=s.ReportDetail, create_in=s.ReportCreate, update_in=s.ReportUpdate,
    create=records.create_office_report, update=records.update_report, form=forms.ReportForm,
    list_fields={"reporter_name": _mask_reporters, "reporter_phone": lambda rows, user: None},
    columns=[
        Column(_("查询码"), lambda o: o.tracking_code, ""),
        Column(_("举报内容"), lambda o: o.description[:40], ""),
        Column(_("所属乡镇"), lambda o: o.township or "", ""),
        Column(_("状态"), lambda o: o.get_status_display(), "status"),
        Column(_("举报时间"), lambda o: o.created_at, "created_at"),
    ],
    page_filters=[Filter("status", _("状态"), fixed(PublicReport.Status.choices)),
                  Filter("township_id", _("乡镇"), _townships)],
    geometry=_point, detail_extras=report_detail_extras, detail_templates=("hazards/_report_triage.html",),
)

REWARD_RULES = RecordKind(
    key="reward-rules", singular="RewardRule", model=RewardRule, title=_("举报奖励规则"), **COMMON,
    search=("basis",), filters=("grade",), ordering=("id", "amount"),
    item=s.RewardRuleOut, create_in=s.RewardRuleCreate, update_in=s.RewardRuleUpdate,
    create=records.create_reward_rule, update=records.update_reward_rule, form=forms.RewardRuleForm,
    columns=[Column(_("隐患等级"), lambda o: o.get_grade_display(), ""),
             Column(_("奖励金额（元）"), lambda o: o.amount, "amount"), Column(_("依据"), lambda o: o.basis, "")],
    geometry=lambda o: None,
)

REWARDS = RecordKind(
    key="rewards", singular="Reward", model=Reward, title=_("举报奖励"), **COMMON,
    search=("payment_reference",), filters=("status", "report_id"), ordering=("id", "amount", "status"),
    item=s.RewardOut, create_in=s.RewardCreate, update_in=s.RewardUpdate,
    create=records.create_reward, update=records.update_reward, form=forms.RewardForm,
    columns=[Column(_("举报"), lambda o: o.report, ""), Column(_("奖励金额（元）"), lambda o: o.amount, "amount"),
             Column(_("状态"), lambda o: o.get_status_display(), "status"),
             Column(_("发放凭证号"), lambda o: o.payment_reference, "")],
    geometry=lambda o: None,
)

KINDS = (HAZARDS, REPORTS, REWARD_RULES, REWARDS)
