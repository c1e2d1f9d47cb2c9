"""Pages: policy targets (traffic lights, progress with evidence) and accident statistics."""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.assessment import charts, selectors
from citysafe.assessment.models import AccidentKind, BaseFigure
from citysafe.assessment.services import figures, targets
from citysafe.assessment.services.target_metrics import TARGET_METRICS
from citysafe.core import scope
from citysafe.core.attachments import attachments_of


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(f"{k}: {'、'.join(v)}" for k, v in exc.message_dict.items())
    return "；".join(exc.messages)


@login_required
def target_list(request):
    today = timezone.localdate()
    rows = [(t, *targets.status_of(t, today)) for t in selectors.targets(request.user)]
    return render(request, "assessment/targets.html", {"rows": rows, "today": today})


@login_required
def target_detail(request, pk):
    target = scope.get_in_scope(request.user, selectors.targets(request.user), pk)
    reports = list(scope.narrow(request.user, target.reports.all()))
    colour, reason = targets.status_of(target)
    return render(request, "assessment/target.html", {
        "target": target, "colour": colour, "reason": reason,
        "reports": [(r, attachments_of(request.user, r)) for r in reports],
        "may_report": targets._may_report(request.user, target) and target.measure != target.Measure.COMPUTED,
        "metric_label": getattr(TARGET_METRICS.get(target.metric), "label", "")})


@login_required
@require_POST
def report_progress(request, pk):
    try:
        reported_on = date.fromisoformat(request.POST.get("reported_on") or timezone.localdate().isoformat())
        targets.report_progress(request.user, pk, value=request.POST.get("value", ""), reported_on=reported_on,
                                note=request.POST.get("note", ""), files=request.FILES.getlist("files"))
        messages.success(request, _("进展已报送"))
    except ValueError:
        messages.error(request, _("报送日期格式应为YYYY-MM-DD"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("assessment:target", pk)


@login_required
def statistics(request):
    rows = selectors.yearly(request.user)
    year = int(request.GET.get("year") or (rows[-1]["year"] if rows else timezone.localdate().year))
    by_township, by_industry = selectors.breakdown(request.user, year, "township"), selectors.breakdown(
        request.user, year, "industry")
    chart = charts.bars_by_year(rows, {k: str(label) for k, label in AccidentKind.choices}, _("死亡人数（按年度、类别）")) \
        if rows else ""
    township_chart = charts.horizontal_bars([r["name"] or "—" for r in by_township], [r["deaths"] or 0 for r in by_township],
                                            _("%(year)d年死亡人数（按乡镇）") % {"year": year}) if by_township else ""
    return render(request, "assessment/statistics.html", {
        "rows": rows, "year": year, "by_township": by_township, "by_industry": by_industry, "chart": chart,
        "township_chart": township_chart, "figures": scope.narrow(request.user, BaseFigure.objects.all()),
        "may_enter": scope.may(request.user, BaseFigure, scope.Action.CREATE)})


@login_required
@require_POST
def save_figures(request):
    try:
        figures.save_base_figure(request.user, year=int(request.POST.get("year") or 0),
                                 gdp_yi=request.POST.get("gdp_yi"), vehicles_wan=request.POST.get("vehicles_wan"),
                                 population=request.POST.get("population"))
        messages.success(request, _("年度基础数据已保存"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except ValueError:
        messages.error(request, _("年度必须是整数"))
    return redirect("assessment:statistics")
