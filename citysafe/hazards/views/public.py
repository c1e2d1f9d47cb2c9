"""Pages without login: the report form (CAPTCHA + rate limit), progress by tracking code, and
the disclosure of listed major hazards. They show no personal data: no reporter, no finder,
no person's name or phone — only what 挂牌督办 disclosure asks for (hazard, measures, deadline,
responsible unit, supervising authority)."""
from captcha.fields import CaptchaField
from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.hazards.models import Category
from citysafe.hazards.selectors import disclosed_hazards
from citysafe.hazards.services.reports import MAX_REPORT_PHOTOS, RateLimited, submit_report, track


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PublicReportForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("隐患情况"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=gettext_lazy("隐患类别"), choices=Category.choices, initial=Category.OTHER)
    lon = forms.FloatField(label=gettext_lazy("经度"), widget=forms.HiddenInput)
    lat = forms.FloatField(label=gettext_lazy("纬度"), widget=forms.HiddenInput)
    address = forms.CharField(label=gettext_lazy("地点说明"), max_length=200, required=False)
    photos = forms.FileField(label=gettext_lazy("照片"), required=False,
                             widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    reporter_name = forms.CharField(label=gettext_lazy("姓名（可不填）"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=gettext_lazy("联系电话（可不填，用于奖励联系）"), max_length=20, required=False)
    captcha = CaptchaField(label=gettext_lazy("验证码"))


def report(request):
    form = PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photos = request.FILES.getlist("photos")
        try:
            created = submit_report(request.META.get("REMOTE_ADDR", ""), description=data["description"],
                                    lon=data["lon"], lat=data["lat"], category=data["category"],
                                    place_note=data["address"], reporter_name=data["reporter_name"],
                                    reporter_phone=data["reporter_phone"], photos=photos)
        except RateLimited:
            form.add_error(None, _("举报过于频繁，请一小时后再试"))
            return render(request, "hazards/public_report.html", {"form": form}, status=429)
        except Exception as exc:  # a ValidationError naming the field
            from django.core.exceptions import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return render(request, "hazards/public_report_done.html", {"code": created.tracking_code})
    return render(request, "hazards/public_report.html", {"form": form, "max_photos": MAX_REPORT_PHOTOS})


def progress(request):
    code = request.GET.get("code", "")
    found = track(code) if code else None
    return render(request, "hazards/public_progress.html", {"code": code, "report": found, "searched": bool(code)})


def disclosure(request):
    return render(request, "hazards/public_disclosure.html", {"hazards": disclosed_hazards()})
