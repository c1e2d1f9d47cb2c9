"""Pages: plans and their progress, enterprise classes with the override form, draws (run one,
see it, re-run it from its record), and the public list of draws (一公开, no sign-in). Each view
parses, calls one service or selector, renders."""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from citysafe.core import scope
from citysafe.core.concurrency import StaleRecord
from citysafe.core.workflow.views import posted_version
from citysafe.registry.models import Area
from citysafe.supervision import selectors
from citysafe.supervision.models import (
    DEFAULT_FREQUENCIES,
    EnforcementPlan,
    EnterpriseClass,
    Qualification,
    RandomDraw,
    SupervisionClass,
)
from citysafe.supervision.services import classification, draws, plans


def _errors(error: ValidationError) -> dict:
    return {field: [str(m) for m in found] for field, found in error.message_dict.items()}


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _year(request) -> int:
    year = _int(request.GET.get("year"), timezone.localdate().year)
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _departments(user, model):
    return scope.reference_targets(user, model, "department").order_by("code")


@login_required
def plan_list(request):
    errors, values = {}, {"year": timezone.localdate().year, **DEFAULT_FREQUENCIES}
    may_create = scope.may(request.user, EnforcementPlan, scope.Action.CREATE)
    if request.method == "POST" and may_create:
        values = {k: request.POST.get(k, "") for k in ("year", "department_id", *SupervisionClass.values)}
        try:
            plan = plans.create_plan(request.user, year=_int(values["year"], 0),
                                     department_id=_int(values["department_id"]),
                                     frequencies={c: _int(values[c], -1) for c in SupervisionClass.values})
            messages.success(request, _("执法计划已编制"))
            return redirect("supervision:plan", pk=plan.pk)
        except ValidationError as error:
            errors = _errors(error)
    rows = [(plan, selectors.plan_progress(plan)) for plan in selectors.plans_for(request.user)[:50]]
    return render(request, "supervision/plans.html", {
        "rows": rows, "may_create": may_create, "errors": errors, "values": values,
        "departments": _departments(request.user, EnforcementPlan) if may_create else [],
        "classes": SupervisionClass.choices}, status=422 if errors else 200)


@login_required
def plan_detail(request, pk):
    try:
        plan = scope.get_in_scope(request.user, selectors.plans_for(request.user), pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    errors = {}
    may_change = scope.may(request.user, EnforcementPlan, scope.Action.CHANGE)
    if request.method == "POST" and may_change:
        try:
            plans.change_frequencies(request.user, plan.pk,
                                     {c: _int(request.POST.get(c), -1) for c in SupervisionClass.values},
                                     expected_version=posted_version(request, missing=0))
            messages.success(request, _("检查频次已调整，计划已按新频次重新排布"))
            return redirect("supervision:plan", pk=plan.pk)
        except ValidationError as error:
            errors = _errors(error)
        except StaleRecord as error:
            errors = {"version": [str(error)]}
    return render(request, "supervision/plan.html", {
        "plan": plan, "progress": selectors.plan_progress(plan), "may_change": may_change, "errors": errors,
        "frequencies": [(c, label, plan.frequencies.get(c, 0)) for c, label in SupervisionClass.choices]},
        status=422 if errors else 200)


@login_required
def class_list(request):
    year = _year(request)
    if request.method == "POST" and scope.may(request.user, EnterpriseClass, scope.Action.CREATE):
        try:
            summary = classification.classify_enterprises(request.user, _int(request.POST.get("year"), 0))
            messages.success(request, _("已完成%(year)s年度分级分类：%(n)s家企业") % {
                "year": summary["year"], "n": summary["enterprises"]})
            return redirect(f"{request.path}?year={summary['year']}")
        except ValidationError as error:
            messages.error(request, "；".join(m for found in _errors(error).values() for m in found))
    chosen = request.GET.get("class") if request.GET.get("class") in SupervisionClass.values else None
    q = request.GET.get("q", "").strip()[:50]
    rows = selectors.classes_for(request.user, year=year, final_class=chosen, q=q)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/classes.html", {
        "page": page, "year": year, "chosen": chosen, "q": q, "classes": SupervisionClass.choices,
        "counts": selectors.class_counts(request.user, year), "rule": classification.current_rule(),
        "may_compute": scope.may(request.user, EnterpriseClass, scope.Action.CREATE)})


@login_required
def class_detail(request, pk):
    try:
        row = scope.get_in_scope(request.user, EnterpriseClass.objects.select_related("enterprise"), pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    errors = {}
    may_change = scope.may(request.user, EnterpriseClass, scope.Action.CHANGE)
    if request.method == "POST" and may_change:
        try:
            classification.override_class(request.user, row.pk, request.POST.get("manual_class", ""),
                                          request.POST.get("override_reason", ""),
                                          expected_version=posted_version(request, missing=0))
            messages.success(request, _("分类已调整"))
            return redirect("supervision:class", pk=row.pk)
        except ValidationError as error:
            errors = _errors(error)
        except StaleRecord as error:
            errors = {"version": [str(error)]}
    return render(request, "supervision/class.html", {
        "row": row, "may_change": may_change, "errors": errors, "classes": SupervisionClass.choices,
        "posted": request.POST}, status=422 if errors else 200)


RULE_NUMBERS = [("risk_points.1", _l("重大风险")), ("risk_points.2", _l("较大风险")), ("risk_points.3", _l("一般风险")),
                ("risk_points.4", _l("低风险")), ("risk_points.0", _l("未评估")), ("scale_points.large", _l("大型企业")),
                ("scale_points.medium", _l("中型企业")), ("scale_points.small", _l("小型企业")), ("scale_points.micro", _l("微型企业")),
                ("per_hazard", _l("每项一般隐患")), ("per_major_hazard", _l("每项重大隐患")), ("per_accident", _l("每起事故")),
                ("record_cap", _l("隐患事故记录分上限")), ("thresholds.0", _l("A类最低分")), ("thresholds.1", _l("B类最低分")),
                ("thresholds.2", _l("C类最低分"))]


def _rule_value(rule: dict, key: str):
    head, _sep, tail = key.partition(".")
    value = rule.get(head)
    if not tail:
        return value
    return value[int(tail)] if isinstance(value, list) else value.get(tail)


@login_required
def rule_page(request):
    """The county's classification rule: every number of it, editable by the county office."""
    from citysafe.supervision.models import ClassificationRule

    stored = classification.current_rule()
    may_change = scope.may(request.user, ClassificationRule, scope.Action.CHANGE)
    errors = {}
    if request.method == "POST" and may_change:
        data = {"risk_points": {}, "scale_points": {}, "thresholds": [None, None, None]}
        for key, _label in RULE_NUMBERS:
            raw = request.POST.get(key, "")
            head, _sep, tail = key.partition(".")
            if head == "thresholds":
                data[head][int(tail)] = raw
            elif tail:
                data[head][tail] = raw
            else:
                data[head] = raw
        try:
            classification.update_rule(request.user, data, _int(request.POST.get("record_years"), 0))
            messages.success(request, _("分级分类规则已保存；重新计算后生效"))
            return redirect("supervision:rule")
        except ValidationError as error:
            errors = _errors(error)
    rows = [(key, str(label), request.POST.get(key) if errors else _rule_value(stored.rule, key))
            for key, label in RULE_NUMBERS]
    return render(request, "supervision/rule.html", {
        "rows": rows, "record_years": stored.record_years, "may_change": may_change, "errors": errors},
        status=422 if errors else 200)


@login_required
def draw_list(request):
    may_draw = scope.may(request.user, RandomDraw, scope.Action.CREATE)
    errors, values = {}, {"year": timezone.localdate().year, "targets": 5, "classes": ["A", "B", "C", "D"],
                          "township_ids": [], "required_qualification": Qualification.HAZCHEM}
    if request.method == "POST" and may_draw:
        values = {"title": request.POST.get("title", ""), "year": _int(request.POST.get("year"), 0),
                  "classes": request.POST.getlist("classes"), "department_id": _int(request.POST.get("department_id")),
                  "township_ids": [_int(t, 0) for t in request.POST.getlist("township_ids")],
                  "required_qualification": request.POST.get("required_qualification", ""),
                  "targets": _int(request.POST.get("targets"), 0), "due_on": request.POST.get("due_on", "")}
        try:
            due_on = date.fromisoformat(values["due_on"]) if values["due_on"] else None
        except ValueError:
            due_on = None
        try:
            record = draws.run_draw(request.user, **{**values, "due_on": due_on})
            messages.success(request, _("抽取完成，随机种子和全部输入已记录"))
            return redirect("supervision:draw", pk=record.pk)
        except ValidationError as error:
            errors = _errors(error)
    page = Paginator(selectors.draws_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/draws.html", {
        "page": page, "may_draw": may_draw, "errors": errors, "values": values, "classes": SupervisionClass.choices,
        "qualifications": Qualification.choices, "departments": _departments(request.user, RandomDraw) if may_draw else [],
        "townships": scope.in_counties(request.user, Area.objects.filter(level=Area.Level.TOWNSHIP)).order_by("code")},
        status=422 if errors else 200)


@login_required
def draw_detail(request, pk):
    try:
        record = scope.get_in_scope(request.user, selectors.draws_for(request.user), pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    verification = draws.verify_draw(record) if request.GET.get("verify") else None
    return render(request, "supervision/draw.html", {
        "draw": record, "rows": selectors.draw_rows(record, public=False), "verification": verification,
        "pool": len(record.inputs.get("enterprises", [])), "roster": len(record.inputs.get("inspectors", [])),
        "avoidances": sum(len(v) for v in record.inputs.get("avoid", {}).values())})


@login_required
def roster_page(request):
    """The inspector roster and the registered relations; a relation is added by the enterprise's USCC."""
    from citysafe.registry.models import Enterprise
    from citysafe.supervision.models import Inspector, InspectorLink
    from citysafe.supervision.services import roster

    may_link = scope.may(request.user, InspectorLink, scope.Action.CREATE)
    errors = {}
    if request.method == "POST" and may_link:
        uscc = request.POST.get("uscc", "").strip().upper()
        enterprise = Enterprise.objects.filter(uscc=uscc, archived_at__isnull=True).first()
        try:
            roster.link_inspector(request.user, inspector_id=_int(request.POST.get("inspector_id"), 0),
                                  enterprise_id=enterprise.pk if enterprise else 0,
                                  relation=request.POST.get("relation", ""), note=request.POST.get("note", "")[:200])
            messages.success(request, _("回避关系已登记"))
            return redirect("supervision:roster")
        except ValidationError as error:
            errors = _errors(error)
            if "enterprise_id" in errors:
                errors["enterprise_id"] = [_("统一社会信用代码对应的企业不存在")]
    inspectors = scope.narrow(request.user, Inspector.objects.select_related("department")).order_by("department__code", "id")
    links = scope.narrow(request.user, InspectorLink.objects.select_related("inspector", "enterprise")).order_by("-id")[:200]
    return render(request, "supervision/roster.html", {
        "inspectors": inspectors, "links": links, "may_link": may_link, "errors": errors,
        "relations": InspectorLink.Relation.choices, "posted": request.POST}, status=422 if errors else 200)


def public_draws(request):
    page = Paginator(selectors.public_draws(), 10).get_page(request.GET.get("page"))
    return render(request, "supervision/public.html", {
        "page": page, "draws": [(d, selectors.draw_rows(d, public=True)) for d in page]})
