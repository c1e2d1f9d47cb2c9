"""Page forms of the enforcement kinds: they only parse; the services hold every rule."""
from django import forms
from django.utils.translation import gettext_lazy as _

from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.location import MapPicker
from citysafe.enforcement.models import Case, Holiday, InspectionRecord
from citysafe.registry.models import Enterprise


def _active(model):
    return model.objects.filter(archived_at__isnull=True)


class HolidayForm(RecordForm):
    model = Holiday
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=Holiday.Kind.choices)
    name = forms.CharField(label=_("节日名称"), max_length=40)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class InspectionForm(RecordForm):
    """The on-site record, filled on a phone: the enterprise by typing ahead, the rest plain fields."""

    model = InspectionRecord
    map_picker = MapPicker(lon="lon", lat="lat", draw=("point",))
    enterprise_id = forms.ModelChoiceField(label=_("被检查单位"), queryset=_active(Enterprise))
    inspected_at = forms.DateTimeField(label=_("检查时间"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                       help_text=_("不填为现在"))
    site = forms.CharField(label=_("检查地点"), max_length=200, required=False)
    inspectors = forms.CharField(label=_("执法人员及证号"), max_length=200)
    present_person = forms.CharField(label=_("现场负责人"), max_length=50, required=False)
    findings = forms.CharField(label=_("检查情况"), widget=forms.Textarea(attrs={"rows": 5}))
    result = forms.ChoiceField(label=_("检查结论"), choices=InspectionRecord.Result.choices)
    lon = forms.FloatField(label=_("经度"), required=False)
    lat = forms.FloatField(label=_("纬度"), required=False)

    PICKERS = frozenset({"enterprise_id"})


class CaseForm(RecordForm):
    model = Case
    enterprise_id = forms.ModelChoiceField(label=_("当事人（单位）"), queryset=_active(Enterprise), required=False,
                                           help_text=_("从检查记录立案时可不填"))
    inspection_id = forms.ModelChoiceField(label=_("来源检查记录"), queryset=_active(InspectionRecord), required=False)
    party_person = forms.CharField(label=_("法定代表人/负责人"), max_length=50, required=False)
    cause = forms.CharField(label=_("案由"), max_length=200)
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    violated_basis = forms.CharField(label=_("违反条款"), max_length=200, required=False,
                                     help_text=_("如：安全生产法 第四十一条"))

    PICKERS = frozenset({"enterprise_id", "inspection_id"})
