"""Public forms: subscription sign-up and the citizens' danger report (CAPTCHA: django-simple-
captcha, the library the knowledge base's public question form uses)."""
from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from citysafe.early_warning.models import Subscription, WarningType
from citysafe.registry.models import Area


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(label=_("接收方式"), choices=Subscription.Channel.choices)
    address = forms.CharField(label=_("手机号或邮箱"), max_length=200)
    areas = forms.ModelMultipleChoiceField(
        label=_("关注的乡镇"), required=False,
        queryset=Area.objects.filter(level="township", archived_at__isnull=True).order_by("code"))
    lon = forms.FloatField(label=_("经度（可选，按位置接收）"), required=False)
    lat = forms.FloatField(label=_("纬度（可选）"), required=False)
    captcha = CaptchaField(label=_("验证码"))


class ConfirmForm(forms.Form):
    channel = forms.ChoiceField(label=_("接收方式"), choices=Subscription.Channel.choices)
    address = forms.CharField(label=_("手机号或邮箱"), max_length=200)
    code = forms.CharField(label=_("确认码"), max_length=12)


class DangerReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("险情类型"), choices=WarningType.choices)
    place = forms.CharField(label=_("地点"), max_length=200)
    description = forms.CharField(label=_("险情描述"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    lon = forms.FloatField(label=_("经度（可选）"), required=False)
    lat = forms.FloatField(label=_("纬度（可选）"), required=False)
    contact_name = forms.CharField(label=_("联系人（可选）"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话（可选）"), max_length=20, required=False)
    captcha = CaptchaField(label=_("验证码"))
