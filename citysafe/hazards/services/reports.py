"""Public reporting (举报, C9): anyone reports without login; a tracking code shows progress;
the county office or the township triages (accept → a hazard, duplicate, reject with a reason);
rewards follow editable rules (RewardRule) with approval and payment records."""
import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.attachments import store_attachment
from citysafe.core.audit import audit_channel, record_change, snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_location, check_phone, text_message, text_problem
from citysafe.core.workflow import TransitionError
from citysafe.core.workflow.system import as_system
from citysafe.hazards.models import Grade, Hazard, PublicReport, Reward, RewardRule, Source, Status
from citysafe.hazards.placement import grid_at

MAX_REPORT_PHOTOS = 6
# Tracking codes avoid look-alike characters (0/O, 1/I/L) so they can be read over the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class RateLimited(Exception):
    """Too many reports from one address (or in total) within the hour."""


def client_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:report:{address}".encode()).hexdigest()


def per_hour() -> tuple[int, int]:
    return (int(getattr(settings, "HAZARD_REPORTS_PER_HOUR", 5)),
            int(getattr(settings, "HAZARD_REPORTS_PER_HOUR_TOTAL", 300)))


def _text(value, name: str, errors: ErrorCollector, *, low: int, high: int, multiline=False) -> str:
    text = (value or "").strip() if isinstance(value, str) else None
    if text is None:
        errors.add(name, _("必须是文本"), "text_type")
        return ""
    if not low <= len(text) <= high:
        errors.add(name, _("应为%(low)s至%(high)s个字") % {"low": low, "high": high}, "length")
    problem = text_problem(text, multiline=multiline)
    if problem:
        errors.add(name, text_message(problem), "text_characters")
    return text


@transaction.atomic
def submit_report(address: str, *, description: str, lon, lat, category: str = "other", place_note: str = "",
                  reporter_name: str = "", reporter_phone: str = "", photos=()) -> PublicReport:
    """A report from the public. Stored as text and shown escaped (never as HTML); the limit is
    counted in the database, so every web process sees the same count."""
    errors = ErrorCollector()
    text = _text(description, "description", errors, low=5, high=2000, multiline=True)
    note = _text(place_note, "address", errors, low=0, high=200)
    name = _text(reporter_name, "reporter_name", errors, low=0, high=50)
    phone = (reporter_phone or "").strip()
    if phone:
        errors.run(check_phone, phone, field="reporter_phone")
    point = errors.run(check_location, lon, lat, field="location")
    if category not in dict(PublicReport._meta.get_field("category").choices):
        errors.add("category", _("取值无效"), "choice")
    if len(photos) > MAX_REPORT_PHOTOS:
        errors.add("photos", _("最多上传%(n)s张照片") % {"n": MAX_REPORT_PHOTOS}, "too_many")
    errors.raise_if_any()
    since, key = timezone.now() - datetime.timedelta(hours=1), client_hash(address or "")
    mine, total = per_hour()
    recent = PublicReport.objects.filter(created_at__gte=since)
    if recent.filter(address_hash=key).count() >= mine or recent.count() >= total:
        raise RateLimited
    grid = grid_at(point.x, point.y)
    report = PublicReport(
        tracking_code="".join(secrets.choice(CODE_ALPHABET) for _n in range(10)), description=text,
        category=category, lon=point.x, lat=point.y, address=note, reporter_name=name, reporter_phone=phone,
        address_hash=key, grid=grid, township_id=grid.township_id if grid else None)
    with as_system() as actor, audit_channel("public"):
        report.save()
        record_change(actor=None, action="public_report", instance=report, before=None, after=snapshot(report))
        for photo in photos:
            store_attachment(actor, photo, owner=report)
    return report


def track(code: str) -> PublicReport | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return PublicReport.objects.select_related("hazard").filter(tracking_code=code, archived_at__isnull=True).first()


@transaction.atomic
def triage_report(actor, pk, decision: str, *, expected_version: int, note: str = "", duplicate_of: int | None = None,
                  hazard_data: dict | None = None) -> PublicReport:
    """accept → a hazard (source: public report, in the report's grid or township, at its point);
    duplicate → names the earlier report; reject → a reason. Only from 已受理."""
    from citysafe.hazards.services.hazards import create_hazard

    if decision not in ("accept", "duplicate", "reject"):
        raise ValidationError({"decision": [ValidationError(_("取值无效，可选：accept、duplicate、reject"), "choice")]})
    target = {"accept": PublicReport.Status.ACCEPTED, "duplicate": PublicReport.Status.DUPLICATE,
              "reject": PublicReport.Status.REJECTED}[decision]
    report = open_for_change(actor, PublicReport, pk, {"status": target, "triage_note": note},
                             expected_version=expected_version)
    if report.status != PublicReport.Status.RECEIVED:
        raise TransitionError(_("该举报已处理（%(state)s）") % {"state": report.get_status_display()})
    before, errors = snapshot(report), ErrorCollector()
    note = _text(note, "note", errors, low=0, high=2000, multiline=True)
    if decision == "reject" and not note:
        errors.add("note", _("不予受理须说明理由"), "required")
    if decision == "duplicate":
        from citysafe.core import scope

        earlier = scope.narrow(actor, PublicReport.objects.exclude(pk=report.pk)).filter(pk=duplicate_of).first() \
            if isinstance(duplicate_of, int) and not isinstance(duplicate_of, bool) else None
        if earlier is None:
            errors.add("duplicate_of", _("所选的重复举报不存在或不在您的数据范围内"), "not_found")
        report.duplicate_of = earlier
    errors.raise_if_any()
    if decision == "accept":
        area = report.grid_id or report.township_id
        if area is None:
            raise TransitionError(_("举报地点不在本县任何网格内，不能转为隐患"))
        data = {"source": Source.PUBLIC_REPORT, "category": report.category, "description": report.description,
                "area_id": area, "lon": report.lon, "lat": report.lat, **(hazard_data or {})}
        report.hazard = create_hazard(actor, data)
    report.status, report.triage_note = target, note
    return save_record(actor, report, action=f"triage:{decision}", before=before)


# ---- rewards -------------------------------------------------------------------------------

@transaction.atomic
def propose_reward(actor, report_pk) -> Reward:
    """The amount from the rule of the hazard's grade, once the hazard is confirmed (graded)."""
    report = open_for_change(actor, PublicReport, report_pk, {}, expected_version=None)
    hazard: Hazard | None = report.hazard
    if hazard is None or hazard.grade not in (Grade.GENERAL, Grade.MAJOR) or hazard.status == Status.REJECTED:
        raise TransitionError(_("举报的隐患经核实定级后才能提出奖励"))
    if Reward.objects.filter(report=report).exists():
        raise TransitionError(_("该举报已有奖励记录"))
    rule = RewardRule.objects.filter(grade=hazard.grade, archived_at__isnull=True).first()
    if rule is None:
        raise TransitionError(_("没有适用于“%(grade)s”的奖励规则") % {"grade": hazard.get_grade_display()})
    reward = open_for_create(actor, Reward, {})
    reward.report, reward.amount = report, rule.amount
    return save_record(actor, reward, action="create", before=None)


@transaction.atomic
def decide_reward(actor, pk, decision: str, *, expected_version: int, payment_reference: str = "") -> Reward:
    """approve / decline (proposed → approved / declined), pay (approved → paid, with a voucher number)."""
    moves = {"approve": (Reward.Status.PROPOSED, Reward.Status.APPROVED),
             "decline": (Reward.Status.PROPOSED, Reward.Status.DECLINED),
             "pay": (Reward.Status.APPROVED, Reward.Status.PAID)}
    if decision not in moves:
        raise ValidationError({"decision": [ValidationError(_("取值无效，可选：approve、decline、pay"), "choice")]})
    source, target = moves[decision]
    reward = open_for_change(actor, Reward, pk, {"status": target}, expected_version=expected_version)
    if reward.status != source:
        raise TransitionError(_("当前状态“%(state)s”不能执行该操作") % {"state": reward.get_status_display()})
    before = snapshot(reward)
    if decision == "pay":
        reference = (payment_reference or "").strip()
        if not reference or len(reference) > 60 or text_problem(reference):
            raise ValidationError({"payment_reference": [ValidationError(_("须填写发放凭证号（1至60个字符）"), "required")]})
        reward.paid_at, reward.payment_reference = timezone.now(), reference
    else:
        reward.approved_by, reward.approved_at = actor, timezone.now()
    reward.status = target
    return save_record(actor, reward, action=f"reward:{decision}", before=before)


# ---- danger reports from early warning (险情报告 → 举报) ------------------------------------------

# The warning types a citizen picks on the danger-report form, as hazard categories.
DANGER_CATEGORIES = {"fire": "fire", "hazchem_leak": "chemicals", "gas_leak": "gas", "flood": "flood",
                     "rainstorm": "flood"}


def from_danger_report(danger):
    """early_warning's danger-report sink (early_warning.hooks, registered in apps.py): a located
    险情报告 becomes a public report (举报) for triage, with the same text, point and contact,
    through `submit_report` (its checks; its per-client limit keyed on the danger report's own
    client hash). Unlocated reports, or reports over the hourly limits, stay in early warning
    only (None)."""
    from citysafe.early_warning.hooks import Forwarded

    if danger.lon is None or danger.lat is None:
        return None
    description = f"【{_('险情报告')}·{danger.get_kind_display()}】{danger.description}"[:2000]
    try:
        report = submit_report(f"danger-report:{danger.client_hash}", description=description, lon=danger.lon,
                               lat=danger.lat, category=DANGER_CATEGORIES.get(danger.kind, "other"),
                               place_note=danger.place[:200], reporter_name=danger.contact_name[:50],
                               reporter_phone=danger.contact_phone)
    except RateLimited:
        return None
    return Forwarded(f"hazards.PublicReport:{report.pk}", report.tracking_code)
