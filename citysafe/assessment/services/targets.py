"""Policy targets and progress reports (C5): the county's own targets, progress reported with
evidence by the responsible unit, traffic-light status, overdue warnings through the outbox."""
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysafe.assessment.models import PolicyTarget, ProgressReport
from citysafe.core import scope
from citysafe.core.attachments import store_attachment
from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import ErrorCollector, open_for_create, save_record
from citysafe.core.roles import Role
from citysafe.registry.counties import people_of_county, record_county
from citysafe.registry.services.fields import apply_fields, require_fields
from kernels.assessment import target_light

TARGET_FIELDS = {"code", "title", "source", "clause", "clause_text", "indicator", "unit", "direction", "target_value",
                 "start_on", "deadline", "recurring", "responsible_unit", "measure", "metric"}
MAX_EVIDENCE_FILES = 5


def _check_dates(instance, errors):
    if instance.start_on and instance.deadline and instance.deadline < instance.start_on:
        errors.add("deadline", _("完成期限不能早于开始日期"), "deadline_before_start")
    if instance.measure == PolicyTarget.Measure.COMPUTED:
        from citysafe.assessment.services.target_metrics import TARGET_METRICS

        if instance.metric not in TARGET_METRICS:
            errors.add("metric", _("平台数据计算的目标须选择计算指标：%(names)s") % {"names": "、".join(TARGET_METRICS)},
                       "metric_unknown")


@transaction.atomic
def create_target(actor, data: dict, *, responsible_org_id: int | None = None) -> PolicyTarget:
    instance, errors = open_for_create(actor, PolicyTarget, data), ErrorCollector()
    if data.get("target_value") not in (None, ""):
        try:  # apply_fields leaves decimals to the caller (the model's validators expect Decimal)
            data = {**data, "target_value": Decimal(str(data["target_value"]))}
        except InvalidOperation:
            errors.add("target_value", _("必须是数字"), "number")
            data = {k: v for k, v in data.items() if k != "target_value"}
    require_fields(data, ["code", "title", "indicator", "target_value", "start_on", "deadline"], errors)
    apply_fields(instance, data, TARGET_FIELDS, errors, actor=actor)
    instance.responsible_org_id = responsible_org_id
    _check_dates(instance, errors)
    errors.raise_if_any()
    return save_record(actor, instance, action="create", before=None)


# The kernel's reasons, as the reader's language shows them.
REASONS = {"已达标": gettext_lazy("已达标"), "逾期未达标": gettext_lazy("逾期未达标"), "未报送进度": gettext_lazy("未报送进度"),
           "尚未开始": gettext_lazy("尚未开始"), "进度滞后": gettext_lazy("进度滞后"), "正常推进": gettext_lazy("正常推进")}


def status_of(target: PolicyTarget, today: date | None = None) -> tuple[str, str]:
    """(green|yellow|red, the reason in the reader's language)."""
    colour, reason = _light(target, today)
    return colour, str(REASONS.get(reason, reason))


def _light(target, today):
    value = float(target.current_value) if target.current_value is not None else None
    return target_light(value=value, target=float(target.target_value),
                        at_most=target.direction == PolicyTarget.Direction.AT_MOST,
                        start=target.start_on, deadline=target.deadline, today=today or timezone.localdate())


def _may_report(actor, target) -> bool:
    """The responsible unit reports its own target; the county office any."""
    return actor.role == Role.ADMIN or (target.responsible_org_id is not None
                                        and target.responsible_org_id == actor.organisation_id)


@transaction.atomic
def report_progress(actor, target_id: int, *, value, reported_on: date | None = None, note: str = "",
                    files=()) -> ProgressReport:
    """A progress report with evidence files; the target's current value follows the latest report.
    A file of a forbidden type or size refuses the whole report (nothing is kept)."""
    scope.require(actor, ProgressReport, scope.Action.CREATE)
    target = scope.get_in_scope(actor, PolicyTarget.objects.select_for_update(), target_id)
    if not _may_report(actor, target):
        raise PermissionDenied(_("只有责任单位可以报送该目标的进展"))
    errors = ErrorCollector()
    if target.measure == PolicyTarget.Measure.COMPUTED:
        # The next refresh (target_metrics.refresh_computed) would overwrite a hand report's value.
        errors.add("value", _("该目标的进展由平台数据自动计算，不接受人工报送"), "computed")
        errors.raise_if_any()
    try:
        number = Decimal(str(value))
        if not number.is_finite() or number < 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.add("value", _("完成值必须是不小于0的数字"), "number")
        number = None
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        errors.add("reported_on", _("报送日期不能晚于今天"), "future")
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        errors.add("files", _("证明材料最多%(n)d个文件") % {"n": MAX_EVIDENCE_FILES}, "too_many")
    errors.raise_if_any()
    report = ProgressReport.objects.create(target=target, reported_on=reported_on, value=number, note=note.strip(),
                                           reporter=actor)
    for upload in files:
        store_attachment(actor, upload, owner=report)  # ValidationError on type/size → rolled back
    record_change(actor=actor, action="create", instance=report, before=None, after=snapshot(report))
    latest = target.reports.filter(archived_at__isnull=True).order_by("-reported_on", "-id").first()
    before = snapshot(target)
    target.current_value, target.current_on = latest.value, latest.reported_on
    target.version += 1
    target.save(update_fields=["current_value", "current_on", "version", "updated_at"])
    record_change(actor=actor, action="update", instance=target, before=before, after=snapshot(target),
                  note=_("进展报送"))
    return report


def warn_overdue(today: date | None = None) -> int:
    """Tell each responsible unit's users (and the county office) about targets past their
    deadline and not achieved; once per target and day (dedupe key), so reruns are harmless."""
    from django.contrib.auth import get_user_model

    from citysafe.notifications.services import notify_many

    today = today or timezone.localdate()
    users = get_user_model().objects.filter(is_active=True, is_service_account=False)
    late = PolicyTarget.objects.filter(archived_at__isnull=True, deadline__lt=today).select_related(
        "responsible_org__area")
    offices: dict = {}  # county id -> its county office (registry.counties); None: one county

    def office_of(target):
        area = target.responsible_org.area if target.responsible_org else None
        county = record_county(area.pk if area is not None else None)  # its responsible unit's county
        if county not in offices:
            offices[county] = list(people_of_county(users, county).filter(role=Role.ADMIN))
        return offices[county]
    by_org: dict = {}
    for user in users.filter(organisation_id__in=late.values("responsible_org_id")):
        by_org.setdefault(user.organisation_id, []).append(user)
    sent = 0
    for target in late:
        colour, reason = status_of(target, today)
        if colour != "red":
            continue
        recipients = by_org.get(target.responsible_org_id, []) + office_of(target)
        notify_many(recipients, kind="policy_target_overdue",
                    subject=_("政策目标逾期未达标：%(title)s") % {"title": target.title},
                    body=_("目标“%(title)s”（%(clause)s）完成期限为%(deadline)s，当前值%(value)s，目标值%(target)s。") % {
                        "title": target.title, "clause": target.clause or _("县级自定"), "deadline": target.deadline,
                        "value": target.current_value if target.current_value is not None else _("未报送"),
                        "target": target.target_value},
                    link=reverse("assessment:target", args=[target.pk]),
                    payload={"target": target.pk}, dedupe_key=f"policy-target-overdue:{target.pk}:{today}")
        sent += 1
    return sent
