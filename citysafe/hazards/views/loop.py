"""The loop's actions on the hazard's detail page and the pages around it. Thin: parse, call the
service, redirect with a message."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citysafe.core.workflow import TransitionError
from citysafe.core.workflow.views import posted_payload, posted_version, run_action, take_step, visible_or_404
from citysafe.hazards.models import Hazard, PublicReport, Reward
from citysafe.hazards.services import hazards, reports, stats
from citysafe.hazards.workflows import HAZARD_LOOP

PAYLOAD_FIELDS = {"grade": ("grade", "reason"),
                  "issue_notice": ("responsible_unit", "responsible_person", "measures", "deadline"),
                  "reinspect_fail": ("deadline",)}


@login_required
@require_POST
def hazard_transition(request, pk):
    payload = posted_payload(request, PAYLOAD_FIELDS.get(request.POST.get("transition", ""), ()))
    return take_step(request, pk, model=Hazard, service=_transition_with_photos, detail=("hazards:detail", "hazards"),
                     success=_("隐患状态已更新"), payload=payload, files=request.FILES.getlist("photos"))


def _transition_with_photos(user, pk, name, *, files, **arguments):
    """The step and its photos in one transaction: a refused step leaves no orphan attachment."""
    from django.db import transaction

    from citysafe.core.attachments import attach_file

    with transaction.atomic():
        ids = [attach_file(user, "hazards.hazard", pk, f).pk for f in files]
        hazards.transition_hazard(user, pk, name, attachments=ids, **arguments)


@login_required
@require_POST
def hazard_plan(request, pk):
    visible_or_404(request.user, Hazard, pk)
    data = {k: request.POST.get(k, "") for k in ("plan_measures", "plan_funds", "plan_person", "plan_deadline",
                                                   "plan_emergency")}
    data["stop_production"] = request.POST.get("stop_production") == "on"
    run_action(request, lambda: hazards.save_rectification_plan(request.user, pk, data,
                                                                expected_version=posted_version(request)),
               _("治理方案已保存"))
    return redirect("hazards:detail", "hazards", pk)


@login_required
@require_POST
def hazard_listing(request, pk):
    visible_or_404(request.user, Hazard, pk)
    run_action(request, lambda: hazards.list_for_supervision(
        request.user, pk, authority=request.POST.get("authority", ""), deadline=request.POST.get("deadline", ""),
        expected_version=posted_version(request)), _("已挂牌督办"))
    return redirect("hazards:detail", "hazards", pk)


@login_required
@require_POST
def hazard_dual_report(request, pk):
    visible_or_404(request.user, Hazard, pk)
    run_action(request, lambda: hazards.record_dual_report(
        request.user, pk, to_department=request.POST.get("to_department") or None,
        to_congress=request.POST.get("to_congress") or None, expected_version=posted_version(request)),
        _("双报告已记录"))
    return redirect("hazards:detail", "hazards", pk)


@login_required
@require_POST
def report_triage(request, pk):
    visible_or_404(request.user, PublicReport, pk)
    duplicate = request.POST.get("duplicate_of", "")
    run_action(request, lambda: reports.triage_report(
        request.user, pk, request.POST.get("decision", ""), expected_version=posted_version(request),
        note=request.POST.get("note", ""), duplicate_of=int(duplicate) if duplicate.isdigit() else None),
        _("举报已处理"))
    return redirect("hazards:detail", "public-reports", pk)


@login_required
@require_POST
def report_reward(request, pk):
    visible_or_404(request.user, PublicReport, pk)
    run_action(request, lambda: reports.propose_reward(request.user, pk), _("已提出奖励"))
    return redirect("hazards:detail", "public-reports", pk)


@login_required
@require_POST
def reward_decision(request, pk):
    visible_or_404(request.user, Reward, pk)
    run_action(request, lambda: reports.decide_reward(request.user, pk, request.POST.get("decision", ""),
                                                      expected_version=posted_version(request),
                                                      payment_reference=request.POST.get("payment_reference", "")),
               _("奖励状态已更新"))
    return redirect("hazards:detail", "rewards", pk)


@login_required
def index(request):
    """The app's landing page: counts by state and statistics by township and month."""
    return render(request, "hazards/index.html", {"summary": stats.summary(request.user),
                                                  "by_township": stats.by_township(request.user),
                                                  "by_industry": stats.by_industry(request.user),
                                                  "by_month": stats.by_month(request.user),
                                                  "transitions": HAZARD_LOOP.transitions.values()})


CHARTS = ("township", "industry", "month")


@login_required
def statistics_chart(request, name):
    """One statistics chart as SVG (charts.py), drawn from the same scoped figures as the tables."""
    from django.http import HttpResponse

    from citysafe.hazards import charts

    if name not in CHARTS:
        raise Http404
    labels = {key: _(label) for key, label, _colour in charts.SERIES}
    if name == "township":
        svg = charts.grouped_bars(stats.by_township(request.user), "township__name", _("按乡镇统计"), _("未定乡镇"),
                                  labels)
    elif name == "industry":
        svg = charts.grouped_bars(stats.by_industry(request.user), "industry__name", _("按行业统计"),
                                  _("无行业（区域、场所）"), labels)
    else:
        svg = charts.monthly_lines(stats.by_month(request.user), _("按月统计（发现月份）"), labels)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def hazard_document(request, pk, kind):
    from django.http import HttpResponse

    from citysafe.hazards.services.documents import KINDS, document_pdf

    if kind not in KINDS:
        raise Http404
    visible_or_404(request.user, Hazard, pk)
    try:
        content, filename = document_pdf(request.user, pk, kind)
    except TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("hazards:detail", "hazards", pk)
    from urllib.parse import quote

    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(write, filename: str):
    import io
    from urllib.parse import quote

    from django.http import HttpResponse

    buffer = io.BytesIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def hazard_ledger(request):
    from citysafe.hazards.services.ledgers import write_hazard_ledger

    filters = {key: request.GET[key] for key in ("status", "grade", "township_id") if request.GET.get(key)}
    return _xlsx(lambda target: write_hazard_ledger(request.user, target, filters=filters), _("隐患排查治理台账.xlsx"))


@login_required
def dual_lists(request, enterprise_id):
    from citysafe.hazards.services.ledgers import write_dual_lists

    try:
        return _xlsx(lambda target: write_dual_lists(request.user, enterprise_id, target), _("双清单.xlsx"))
    except ObjectDoesNotExist:
        raise Http404 from None
