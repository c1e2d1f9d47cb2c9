"""Dashboard pages: the dashboard, the big screen (大屏) and its JSON refresh, the open-hazard
map layer; reports: list, detail, on-demand generation, downloads, subscription. Thin: they
call the selectors in overview.py/selectors and the services."""
import json
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from citysafe.core import scope
from citysafe.dashboard import overview, services
from citysafe.dashboard.models import Period, Report, Subscription
from citysafe.dashboard.reports.subjects import Subject, all_subjects
from citysafe.dashboard.selectors import layers


def _area(user) -> str:
    """The heading's area: the user's own (core.scope's words), the county for county-wide roles."""
    area = scope.area_of(user) or _("全县")
    return area if len(area) <= 24 else area[:23] + "…"


@login_required
@require_GET
def index(request):
    return render(request, "dashboard/index.html", {
        **overview.overview(request.user), "map_config": overview.map_config(request.user),
        "area": _area(request.user)})


@login_required
@require_GET
def screen(request):
    return render(request, "dashboard/screen.html", {
        **overview.overview(request.user), "map_config": overview.map_config(request.user),
        "area": _area(request.user), "refresh": overview.refresh_seconds()})


@login_required
@require_GET
def data(request):
    return JsonResponse(overview.overview(request.user), json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def hazards_geojson(request):
    body = {"type": "FeatureCollection", "features": layers.open_hazard_features(request.user)}
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/geo+json")


# ---- reports ----------------------------------------------------------------------------

def _subjects(user) -> list[tuple[str, Subject]]:
    """The subjects the user may report on: a report about them would lie in its scope."""
    out = []
    subjects = all_subjects()
    # one county: its key stays "county"; several: "c<id>" per county
    several = sum(1 for s in subjects if s.township is None and s.department is None) > 1
    for subject in subjects:
        if scope.contains(user, Report(**subject.report_fields())):
            key = (f"t{subject.township.pk}" if subject.township else
                   f"d{subject.department.pk}" if subject.department else
                   f"c{subject.county.pk}" if several else "county")
            out.append((key, subject))
    return out


class ReportForm(forms.Form):
    subject = forms.ChoiceField(label=gettext_lazy("报告对象"))
    period = forms.ChoiceField(label=gettext_lazy("报告类型"), choices=Period.choices)
    period_start = forms.DateField(label=gettext_lazy("起始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    period_end = forms.DateField(label=gettext_lazy("截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = dict(subjects)
        self.fields["subject"].choices = [(key, s.name) for key, s in subjects]


@login_required
def reports(request):
    user = request.user
    subjects = _subjects(user)
    may_generate = scope.may(user, Report, scope.Action.CREATE) and bool(subjects)
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    form = ReportForm(request.POST or None, subjects=subjects,
                      initial={"period": Period.MONTH, "period_start": first,
                               "period_end": today.replace(day=1) - timedelta(days=1)})
    if request.method == "POST":
        if not may_generate:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.generate_report(
                    user, period=form.cleaned_data["period"], first=form.cleaned_data["period_start"],
                    last=form.cleaned_data["period_end"], subject=form.subjects[form.cleaned_data["subject"]])
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("报告已生成：%(t)s") % {"t": report.title})
                return redirect("dashboard:report", report.pk)
    rows = scope.narrow(user, Report.objects.select_related("township", "department", "county"))
    subscription = Subscription.objects.filter(user=user).first() if user.is_authenticated else None
    return render(request, "dashboard/reports.html", {
        "reports": rows[:200], "form": form, "may_generate": may_generate, "subscription": subscription,
        "may_subscribe": scope.may(user, Subscription, scope.Action.CREATE)})


def _report(user, pk) -> Report:
    try:
        return scope.get_in_scope(user, Report.objects.all(), pk)
    except Report.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_GET
def report(request, pk):
    obj = _report(request.user, pk)
    from citysafe.dashboard.reports import text

    return render(request, "dashboard/report.html", {
        "report": obj, "summary": text.summary(obj.figures), "sections": text.sections(obj.figures),
        "period": text.period_label(obj)})


@login_required
@require_GET
def report_file(request, pk, fmt):
    obj = _report(request.user, pk)
    stored = {"docx": obj.docx, "pdf": obj.pdf}.get(fmt)
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{obj.title}.{fmt}")


@login_required
@require_POST
def subscription(request):
    if request.POST.get("action") == "stop":
        services.unsubscribe(request.user)
        messages.success(request, _("已退订安全生产报告"))
    else:
        services.subscribe(request.user, monthly=bool(request.POST.get("monthly")),
                           annual=bool(request.POST.get("annual")))
        messages.success(request, _("已订阅安全生产报告"))
    return redirect("dashboard:reports")
