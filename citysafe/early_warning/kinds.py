"""The warning record kind (core.kinds): API CRUD, list/detail/edit pages, scope matrices."""
from django import forms
from django.utils.translation import gettext_lazy as _

from citysafe.core import scope
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.location import GeometryField, MapPicker
from citysafe.early_warning import schemas as s
from citysafe.early_warning import services
from citysafe.early_warning.models import AreaKind, Level, Warning, WarningType
from citysafe.registry.models import Area


class WarningForm(RecordForm):
    model = Warning
    # A polygon drawn on the map, or a click for a circle's centre (then the radius).
    map_picker = MapPicker(lon="circle_lon", lat="circle_lat", geometry="geometry", draw=("polygon",))
    warning_type = forms.ChoiceField(label=_("预警类型"), choices=WarningType.choices)
    level = forms.TypedChoiceField(label=_("预警级别"), choices=Level.choices, coerce=int)
    headline = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("预警内容"), widget=forms.Textarea(attrs={"rows": 4}))
    instructions = forms.CharField(label=_("防御指南"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    onset = forms.DateTimeField(label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    effective = forms.DateTimeField(label=_("生效时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    expires = forms.DateTimeField(label=_("失效时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    area_kind = forms.ChoiceField(label=_("区域方式"), choices=AreaKind.choices)
    areas = forms.ModelMultipleChoiceField(label=_("所选区域"), required=False,
                                           queryset=Area.objects.filter(level__in=["township", "village", "grid"]))
    area_description = forms.CharField(label=_("区域描述"), max_length=300, required=False)
    circle_lon = forms.FloatField(label=_("圆心经度"), required=False)
    circle_lat = forms.FloatField(label=_("圆心纬度"), required=False)
    circle_radius_km = forms.FloatField(label=_("半径（公里）"), required=False)
    geometry = GeometryField(label=_("区域多边形（GeoJSON）"), required=False)
    headline_en = forms.CharField(label=_("英文标题"), max_length=200, required=False)
    description_en = forms.CharField(label=_("英文内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    instructions_en = forms.CharField(label=_("英文防御指南"), widget=forms.Textarea(attrs={"rows": 2}),
                                      required=False)

    @classmethod
    def initial_from(cls, instance) -> dict:
        initial = super().initial_from(instance)
        initial["areas"] = list(instance.areas.all())
        return initial


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level="township")).order_by("code")]


def _colour_label(obj):
    return obj.get_level_display()


WARNINGS = RecordKind(
    key="warnings", singular="Warning", model=Warning, title=_("预警信息"), namespace="early_warning",
    search=("headline", "identifier"), filters=("status", "warning_type", "msg_type"),
    ordering=("id", "onset", "expires", "level"), related=("issuing_department",),
    detail_prefetch=("areas", "townships"),
    item=s.WarningOut, detail=s.WarningDetail, create_in=s.WarningCreate, update_in=s.WarningUpdate,
    create=services.create_warning, update=services.update_warning, form=WarningForm,
    columns=[Column(_("标题"), lambda o: o.headline, "headline"), Column(_("级别"), _colour_label, "level"),
             Column(_("类型"), lambda o: o.get_warning_type_display()),
             Column(_("状态"), lambda o: o.get_status_display()),
             Column(_("失效时间"), lambda o: o.expires, "expires")],
    page_filters=[Filter("status", _("状态"), fixed(Warning.Status.choices)),
                  Filter("warning_type", _("类型"), fixed(WarningType.choices))],
    detail_extras=lambda request, obj: _extras(request, obj),
    detail_templates=("early_warning/_warning_extras.html",),
)


def _extras(request, obj):
    from citysafe.early_warning.views import warning_detail_extras

    return warning_detail_extras(request, obj)
