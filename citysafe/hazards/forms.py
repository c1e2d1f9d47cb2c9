"""Page forms of the hazard kinds: they only parse; the services hold every rule."""
from django import forms
from django.utils.translation import gettext_lazy as _

from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.location import MapPicker
from citysafe.hazards.models import Category, Grade, Hazard, PublicReport, Reward, RewardRule, Source
from citysafe.registry.models import Area, Enterprise, Place
from citysafe.risks.models import RiskPoint


def _active(model):
    return model.objects.filter(archived_at__isnull=True)


class HazardForm(RecordForm):
    model = Hazard
    map_picker = MapPicker(lon="lon", lat="lat", draw=("point",))
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    category = forms.ChoiceField(label=_("隐患类别"), choices=Category.choices)
    description = forms.CharField(label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 4}))
    enterprise_id = forms.ModelChoiceField(label=_("所属企业"), queryset=_active(Enterprise), required=False)
    place_id = forms.ModelChoiceField(label=_("所在场所设施"), queryset=_active(Place), required=False)
    area_id = forms.ModelChoiceField(label=_("所在区域"), queryset=_active(Area), required=False)
    risk_point_id = forms.ModelChoiceField(label=_("所属风险点"), queryset=_active(RiskPoint), required=False,
                                           help_text=_("企业、场所设施、区域、风险点四者选其一；所属乡镇、网格随之确定"))
    lon = forms.FloatField(label=_("经度"), required=False)
    lat = forms.FloatField(label=_("纬度"), required=False)

    PICKERS = frozenset({"enterprise_id", "place_id", "risk_point_id"})

    @classmethod
    def initial_from(cls, instance) -> dict:
        initial = super().initial_from(instance)
        initial.update(enterprise_id=instance.enterprise_id, place_id=instance.place_id, area_id=instance.area_id,
                       risk_point_id=instance.risk_point_id)
        return initial

    def to_service_data(self, creating: bool = False) -> dict:
        data = super().to_service_data(creating)
        if not creating:  # the parent is one of four: the others are cleared
            for name in ("enterprise_id", "place_id", "area_id", "risk_point_id"):
                if name in self.fields:
                    data.setdefault(name, None)
        return data


class ReportForm(RecordForm):
    model = PublicReport
    category = forms.ChoiceField(label=_("隐患类别"), choices=Category.choices)


class RewardRuleForm(RecordForm):
    model = RewardRule
    grade = forms.ChoiceField(label=_("隐患等级"), choices=Grade.choices[1:])
    amount = forms.DecimalField(label=_("奖励金额（元）"), min_value=0, max_digits=10, decimal_places=2)
    basis = forms.CharField(label=_("依据"), max_length=200, required=False)


class RewardForm(RecordForm):
    model = Reward
    amount = forms.DecimalField(label=_("奖励金额（元）"), min_value=0, max_digits=10, decimal_places=2)
