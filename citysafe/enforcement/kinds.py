"""The enforcement record kinds, declared once each (core.kinds): API routers (/api/v1/<key>),
pages (/enforcement/<key>/…) and the scope-matrix cases come from these."""
from django.utils.translation import gettext_lazy as _

from citysafe.core import scope
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.enforcement import forms
from citysafe.enforcement import schemas as s
from citysafe.enforcement.models import Case, Holiday, InspectionRecord, Status
from citysafe.enforcement.services import records
from citysafe.enforcement.views.details import case_detail_extras, inspection_detail_extras
from citysafe.registry.models import Area

COMMON = {"namespace": "enforcement"}


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.TOWNSHIP)).order_by("code")]


def _point(obj):
    return {"type": "Point", "coordinates": [obj.lon, obj.lat]} if obj.lon is not None else None


HOLIDAYS = RecordKind(
    key="holidays", singular="Holiday", model=Holiday, title=_("节假日"), **COMMON,
    search=("name", "note"), filters=("kind",), ordering=("day", "id"),
    item=s.HolidayOut, create_in=s.HolidayCreate, update_in=s.HolidayUpdate,
    create=records.create_holiday, update=records.update_holiday, form=forms.HolidayForm,
    columns=[Column(_("日期"), lambda o: o.day, "day"), Column(_("类型"), lambda o: o.get_kind_display(), ""),
             Column(_("节日名称"), lambda o: o.name, ""), Column(_("备注"), lambda o: o.note, "")],
    page_filters=[Filter("kind", _("类型"), fixed(Holiday.Kind.choices))],
    geometry=lambda o: None,
)

INSPECTIONS = RecordKind(
    key="inspection-records", singular="InspectionRecord", model=InspectionRecord, title=_("现场检查记录"), **COMMON,
    search=("findings", "inspectors", "site"), filters=("township_id", "enterprise_id", "result"),
    ordering=("inspected_at", "id"), related=("enterprise", "township"),
    item=s.InspectionOut, create_in=s.InspectionCreate, update_in=s.InspectionUpdate,
    create=records.create_inspection_record, update=records.update_inspection_record, form=forms.InspectionForm,
    columns=[Column(_("检查时间"), lambda o: o.inspected_at, "inspected_at"),
             Column(_("被检查单位"), lambda o: o.enterprise, ""),
             Column(_("检查结论"), lambda o: o.get_result_display(), ""),
             Column(_("所属乡镇"), lambda o: o.township or "", "")],
    page_filters=[Filter("township_id", _("乡镇"), _townships),
                  Filter("result", _("检查结论"), fixed(InspectionRecord.Result.choices))],
    geometry=_point, detail_extras=inspection_detail_extras,
    detail_templates=("enforcement/_inspection_actions.html",),
)

CASES = RecordKind(
    key="cases", singular="Case", model=Case, title=_("执法案件"), **COMMON,
    search=("number", "cause", "decision_number"),
    filters=("township_id", "industry_id", "enterprise_id", "status", "penalty", "is_overdue"),
    ordering=("id", "opened_on", "decision_due", "status"), related=("enterprise", "township"),
    item=s.CaseOut, detail=s.CaseDetail, create_in=s.CaseCreate, update_in=s.CaseUpdate,
    create=records.create_case, update=records.update_case, form=forms.CaseForm,
    columns=[
        Column(_("案号"), lambda o: o.number or "", "id"),
        Column(_("当事人"), lambda o: o.enterprise, ""),
        Column(_("案由"), lambda o: o.cause[:40], ""),
        Column(_("状态"), lambda o: o.get_status_display() + ("（" + str(_("逾期")) + "）" if o.is_overdue else ""),
               "status"),
        Column(_("决定期限"), lambda o: o.decision_due or "", "decision_due"),
    ],
    page_filters=[Filter("township_id", _("乡镇"), _townships), Filter("status", _("状态"), fixed(Status.choices))],
    geometry=lambda o: None, detail_extras=case_detail_extras, detail_templates=("enforcement/_case_flow.html",),
)

KINDS = (HOLIDAYS, INSPECTIONS, CASES)
