"""Page forms of the risk kinds: they only parse; the services hold every rule."""
from django import forms
from django.utils.translation import gettext_lazy as _

from citysafe.core.kinds.forms import RecordForm
from citysafe.registry.models import Area, Enterprise, Person, Place
from citysafe.risks.models import (
    AccidentType,
    Assessment,
    ControlLevel,
    ControlMeasure,
    Inventory,
    MajorHazardInstallation,
    Method,
    RiskPoint,
    Substance,
)


def _active(model):
    return model.objects.filter(archived_at__isnull=True)


class RiskPointForm(RecordForm):
    model = RiskPoint
    name = forms.CharField(label=_("风险点名称"), max_length=200)
    category = forms.ChoiceField(label=_("风险点类型"), choices=RiskPoint.Category.choices)
    enterprise_id = forms.ModelChoiceField(label=_("所属企业"), queryset=_active(Enterprise), required=False)
    place_id = forms.ModelChoiceField(label=_("所在场所设施"), queryset=_active(Place), required=False)
    area_id = forms.ModelChoiceField(label=_("所在区域"), queryset=_active(Area), required=False,
                                     help_text=_("企业、场所设施、区域三者选其一；位置随之确定"))
    hazard_factors = forms.CharField(label=_("危险有害因素"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("每行一项"))
    accident_types = forms.MultipleChoiceField(label=_("可能导致的事故类型（GB 6441）"), choices=AccidentType.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    responsible_person_ids = forms.ModelMultipleChoiceField(label=_("责任人"), queryset=_active(Person), required=False)
    control_level = forms.ChoiceField(label=_("管控层级"), choices=[("", _("按风险等级默认"))] + ControlLevel.choices,
                                      required=False)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_sensitive = forms.BooleanField(label=_("敏感（公开版不显示）"), required=False)

    AUTO_FIELDS = RecordForm.AUTO_FIELDS | {"control_level"}

    @classmethod
    def initial_from(cls, instance) -> dict:
        initial = super().initial_from(instance)
        initial.update(enterprise_id=instance.enterprise_id, place_id=instance.place_id, area_id=instance.area_id,
                       hazard_factors="\n".join(instance.hazard_factors or []),
                       responsible_person_ids=list(instance.responsible_persons.values_list("pk", flat=True)))
        return initial

    def clean_hazard_factors(self):
        return [line.strip() for line in self.cleaned_data["hazard_factors"].splitlines() if line.strip()]

    def to_service_data(self, creating: bool = False) -> dict:
        data = super().to_service_data(creating)
        if not creating:  # the attachment is one of three: the two left empty are cleared
            for name in ("enterprise_id", "place_id", "area_id"):
                if name in self.fields:
                    data.setdefault(name, None)
        return data


class AssessmentForm(RecordForm):
    model = Assessment
    risk_point_id = forms.ModelChoiceField(label=_("风险点"), queryset=_active(RiskPoint))
    method = forms.ChoiceField(label=_("评估方法"), choices=Method.choices)
    factor_l = forms.FloatField(label=_("L（可能性）"), required=False)
    factor_e = forms.FloatField(label=_("E（暴露频繁程度）"), required=False)
    factor_c = forms.FloatField(label=_("C（后果）"), required=False)
    factor_m = forms.FloatField(label=_("M（控制措施状态）"), required=False)
    factor_s = forms.FloatField(label=_("S（严重程度）"), required=False)
    level = forms.TypedChoiceField(label=_("风险等级（仅直接判定）"), coerce=int, required=False, empty_value=None,
                                   choices=[("", "—"), (1, _("重大风险")), (2, _("较大风险")), (3, _("一般风险")),
                                            (4, _("低风险"))])
    reason = forms.CharField(label=_("评估说明（直接判定必填）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assessed_on = forms.DateField(label=_("评估日期"), required=False)

    FORM_ONLY = {f"factor_{f}": "inputs" for f in "lecms"}

    @classmethod
    def initial_from(cls, instance) -> dict:
        initial = super().initial_from(instance)
        initial.update({f"factor_{name}": value for name, value in (instance.inputs or {}).items()})
        initial["level"] = instance.level if instance.method == Method.DIRECT else None
        return initial

    def to_service_data(self, creating: bool = False) -> dict:
        from citysafe.risks.models import METHOD_FACTORS

        data = super().to_service_data(creating)
        factors = {name: data.pop(f"factor_{name}", None) for name in "lecms"}
        data.pop("level", None) if data.get("method") != Method.DIRECT else None
        if data.get("method") in METHOD_FACTORS:
            data["inputs"] = {name: factors[name] for name in METHOD_FACTORS[data["method"]] if factors[name] is not None}
        if not data.get("assessed_on"):
            data.pop("assessed_on", None)
        return data


class MeasureForm(RecordForm):
    model = ControlMeasure
    risk_point_id = forms.ModelChoiceField(label=_("风险点"), queryset=_active(RiskPoint))
    kind = forms.ChoiceField(label=_("措施类别"), choices=ControlMeasure.Kind.choices)
    description = forms.CharField(label=_("措施内容"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person_id = forms.ModelChoiceField(label=_("责任人"), queryset=_active(Person), required=False)
    control_level = forms.ChoiceField(label=_("管控层级"), choices=[("", _("按风险等级默认"))] + ControlLevel.choices,
                                      required=False)


class SubstanceForm(RecordForm):
    model = Substance
    name = forms.CharField(label=_("名称"), max_length=100)
    cas = forms.CharField(label=_("CAS号"), max_length=20, required=False)
    hazard_class = forms.CharField(label=_("危险性类别"), max_length=50, required=False)
    critical_quantity = forms.FloatField(label=_("临界量Q（吨）"))
    beta = forms.FloatField(label=_("校正系数β"), initial=1.0)
    source = forms.CharField(label=_("依据"), max_length=200, required=False)


class InstallationForm(RecordForm):
    model = MajorHazardInstallation
    unit_name = forms.CharField(label=_("单元名称"), max_length=200)
    enterprise_id = forms.ModelChoiceField(label=_("所属企业"), queryset=_active(Enterprise))
    lon = forms.FloatField(label=_("经度"), required=False, help_text=_("可留空：取企业位置"))
    lat = forms.FloatField(label=_("纬度"), required=False)
    alpha_source = forms.ChoiceField(label=_("α取值方式"), choices=MajorHazardInstallation.AlphaSource.choices)
    alpha_entered = forms.FloatField(label=_("填报的α"), required=False)
    alpha_reason = forms.CharField(label=_("α填报理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_sensitive = forms.BooleanField(label=_("敏感（公开版不显示）"), required=False)


class InventoryForm(RecordForm):
    model = Inventory
    installation_id = forms.ModelChoiceField(label=_("单元"), queryset=_active(MajorHazardInstallation))
    substance_id = forms.ModelChoiceField(label=_("危险化学品"), queryset=_active(Substance))
    max_quantity = forms.FloatField(label=_("最大存在量（吨）"))
