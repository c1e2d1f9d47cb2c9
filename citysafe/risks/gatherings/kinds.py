"""The gathering record kind (core.kinds): API /api/v1/gatherings, pages /gatherings/gatherings/…,
scope-matrix cases. Schemas and the page form beside the declaration."""
from datetime import datetime
from typing import Annotated, Any, Optional

from django import forms
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import Strict

from citysafe.core import scope
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import Count, Id, MultilineText, NotOnCreate, Text, Version, choice_in, choice_out
from citysafe.registry.models import Area, Enterprise, Person, Place
from citysafe.risks.gatherings import services
from citysafe.risks.models import Gathering, RiskLevel

Attendance = Annotated[int, Strict(), Field(ge=1000, le=10_000_000, description="预计参加人数（1000人以上）")]
Metres = Annotated[float, Field(ge=0, le=10000, allow_inf_nan=False, description="米")]


class GatheringOut(Schema):
    id: int
    version: int
    name: str
    kind: choice_out(Gathering.Kind.choices)
    content: str
    organiser_id: int
    organiser_name: str
    responsible_person_id: Optional[int]
    venue_id: int
    venue_name: str
    starts_at: datetime
    ends_at: datetime
    expected_attendance: int
    exits: int
    exit_width_m: float
    security_staff: int
    security_plan_id: Optional[int]
    emergency_plan_id: Optional[int]
    lon: Optional[float]
    lat: Optional[float]
    township_id: Optional[int]
    township_name: str
    authority_id: Optional[int]
    venue_capacity: Optional[int]
    hazards_nearby: int
    load_ratio: Optional[float]
    level: int = Field(..., description="风险等级：1重大 2较大 3一般 4低")
    risk_reasons: list[dict[str, Any]]
    status: choice_out(Gathering.Status.choices)
    decision_note: str


class _GatheringUpdate(Schema):
    version: Version
    name: Optional[Text] = None
    kind: Optional[choice_in(Gathering.Kind.choices)] = None
    content: Optional[MultilineText] = None
    organiser_id: Optional[Id] = None
    responsible_person_id: Optional[Id] = None
    venue_id: Optional[Id] = None
    starts_at: Optional[datetime] = None
    ends_at: Optional[datetime] = None
    expected_attendance: Optional[Attendance] = None
    exits: Optional[Annotated[int, Strict(), Field(ge=0, le=1000)]] = None
    exit_width_m: Optional[Metres] = None
    security_staff: Optional[Count] = None
    security_plan_id: Optional[Id] = Field(None, description="本申请的附件编号（安全工作方案）")
    emergency_plan_id: Optional[Id] = Field(None, description="本申请的附件编号（应急救援预案）")


GatheringUpdate = patch_schema(_GatheringUpdate, Gathering)


class GatheringCreate(GatheringUpdate):
    version: NotOnCreate = None
    name: Text
    kind: choice_in(Gathering.Kind.choices)
    organiser_id: Id
    venue_id: Id
    starts_at: datetime
    ends_at: datetime
    expected_attendance: Attendance
    exits: Annotated[int, Strict(), Field(ge=0, le=1000)]
    exit_width_m: Metres


def _active(model):
    return model.objects.filter(archived_at__isnull=True)


class GatheringForm(RecordForm):
    model = Gathering
    name = forms.CharField(label=_("活动名称"), max_length=200)
    kind = forms.ChoiceField(label=_("活动类型"), choices=Gathering.Kind.choices)
    organiser_id = forms.ModelChoiceField(label=_("承办者"), queryset=_active(Enterprise))
    responsible_person_id = forms.ModelChoiceField(label=_("安全责任人"), queryset=_active(Person), required=False)
    venue_id = forms.ModelChoiceField(label=_("活动场所"), queryset=_active(Place))
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    expected_attendance = forms.IntegerField(label=_("预计参加人数"), min_value=1)
    exits = forms.IntegerField(label=_("安全出口数量"), min_value=0)
    exit_width_m = forms.FloatField(label=_("安全出口总净宽度（米）"), min_value=0)
    security_staff = forms.IntegerField(label=_("安全工作人员数量"), min_value=0, required=False)
    content = forms.CharField(label=_("活动内容及组织方式"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.TOWNSHIP)).order_by("code")]


def _point(obj):
    return {"type": "Point", "coordinates": [obj.lon, obj.lat]} if obj.lon is not None else None


def _detail_extras(request, obj) -> dict:
    from citysafe.risks.gatherings.views import detail_extras

    return detail_extras(request, obj)


GATHERINGS = RecordKind(
    key="gatherings", singular="Gathering", model=Gathering, title=_("大型群众性活动"), namespace="gatherings",
    search=("name", "content"),
    filters=("township_id", "status", "level", "kind", "organiser_id", "venue_id"),
    ordering=("id", "starts_at", "level", "status"),
    related=("organiser", "venue", "township"),
    item=GatheringOut, create_in=GatheringCreate, update_in=GatheringUpdate,
    create=services.create_gathering, update=services.update_gathering, form=GatheringForm,
    columns=[
        Column(_("活动名称"), lambda o: o.name, "name"),
        Column(_("活动场所"), lambda o: o.venue, "venue"),
        Column(_("开始时间"), lambda o: o.starts_at, "starts_at"),
        Column(_("预计参加人数"), lambda o: o.expected_attendance, ""),
        Column(_("风险等级"), lambda o: o.get_level_display(), "level"),
        Column(_("状态"), lambda o: o.get_status_display(), "status"),
    ],
    page_filters=[Filter("township_id", _("乡镇"), _townships),
                  Filter("status", _("状态"), fixed(Gathering.Status.choices)),
                  Filter("level", _("风险等级"), fixed(RiskLevel.choices))],
    geometry=_point,
    detail_extras=_detail_extras,
    detail_templates=("risks/gatherings/_workflow.html",),
)
