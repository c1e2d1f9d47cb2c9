"""Writes of inspection records, cases, evidence and holidays (core.records: role, scope, field
limits, version, one transaction, audit) and the case's steps (workflows.CASE_FLOW)."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.core.validation import check_location
from citysafe.core.workflow import TransitionError
from citysafe.enforcement.models import Case, Evidence, Holiday, InspectionRecord, Status
from citysafe.enforcement.services.numbering import case_number
from citysafe.enforcement.workflows import CASE_FLOW
from citysafe.registry.services.fields import apply_fields, require_fields

INSPECTION_FIELDS = {"enterprise_id", "inspected_at", "site", "inspectors", "present_person", "findings",
                     "result", "hazard_inspection_id", "lon", "lat", "is_synthetic"}
CASE_FIELDS = {"enterprise_id", "inspection_id", "party_person", "cause", "facts", "violated_basis", "is_synthetic"}
HOLIDAY_FIELDS = {"day", "kind", "name", "note"}
EDITABLE_STATES = (Status.DRAFT, Status.INVESTIGATING)
MAX_EVIDENCE = 200  # files per case: bounded so one e-case file stays printable


def _place(record) -> None:
    """Scope keys copied from the enterprise (the registry's rule), so filters stay one column."""
    enterprise = record.enterprise
    record.township_id, record.grid_id, record.industry_id = (enterprise.township_id, enterprise.grid_id,
                                                              enterprise.industry_id)


# ---- inspection records ----------------------------------------------------------------

def _apply_inspection(actor, record: InspectionRecord, data: dict, errors: ErrorCollector) -> None:
    apply_fields(record, data, INSPECTION_FIELDS, errors, actor=actor)
    if ("lon" in data or "lat" in data) and (record.lon is None) != (record.lat is None):
        errors.add("lon", _("经度和纬度须同时填写"), "location_pair")
    elif record.lon is not None and ("lon" in data or "lat" in data):
        errors.run(check_location, record.lon, record.lat, field="lon")
    if record.inspected_at and record.inspected_at > timezone.now() + timezone.timedelta(minutes=5):
        errors.add("inspected_at", _("检查时间不能晚于现在"), "future")
    if errors.errors:
        return
    if record.hazard_inspection_id and record.enterprise_id:
        owner = record.hazard_inspection.place.owner_enterprise_id
        if owner not in (None, record.enterprise_id):
            errors.add("hazard_inspection_id", _("关联的隐患排查记录不是该单位的场所"), "mismatch")
            return
        if not record.findings:
            record.findings = _findings_from(record.hazard_inspection)
    _place(record)


def _findings_from(inspection) -> str:
    """The failed items of a hazards-app checklist inspection, with their legal basis."""
    lines = []
    for item, result in zip(inspection.template.items, inspection.results, strict=False):
        if not result.get("ok", True):
            note = f"：{result['note']}" if result.get("note") else ""
            lines.append(f"{item.get('text', '')}{note}（{item.get('basis', '')}）")
    return "\n".join(lines)


@transaction.atomic
def create_inspection_record(actor, data: dict) -> InspectionRecord:
    data = {"inspected_at": timezone.now(), **data}
    record, errors = open_for_create(actor, InspectionRecord, data), ErrorCollector()
    require_fields(data, ["enterprise_id", "inspectors"] + ([] if data.get("hazard_inspection_id") else ["findings"]),
                   errors)
    record.recorder = actor if getattr(actor, "pk", None) else None
    _apply_inspection(actor, record, data, errors)
    if not record.findings and not errors.errors:
        errors.add("findings", _("此字段为必填项"), "required")
    errors.raise_if_any()
    return save_record(actor, record, action="create", before=None)


@transaction.atomic
def update_inspection_record(actor, pk, data: dict, *, expected_version: int | None = None) -> InspectionRecord:
    record = open_for_change(actor, InspectionRecord, pk, data, expected_version=expected_version)
    before, errors = snapshot(record), ErrorCollector()
    _apply_inspection(actor, record, data, errors)
    errors.raise_if_any()
    return save_record(actor, record, action="update", before=before)


# ---- cases -----------------------------------------------------------------------------

def _apply_case(actor, case: Case, data: dict, errors: ErrorCollector) -> None:
    apply_fields(case, data, CASE_FIELDS, errors, actor=actor)
    if errors.errors:
        return
    if case.inspection_id:
        if "enterprise_id" not in data and not case.enterprise_id:
            case.enterprise_id = case.inspection.enterprise_id
        if case.inspection.enterprise_id != case.enterprise_id:
            errors.add("inspection_id", _("来源检查记录的被检查单位与当事人不一致"), "mismatch")
            return
    if not case.enterprise_id:
        errors.add("enterprise_id", _("此字段为必填项"), "required")
        return
    if not case.party_person:
        case.party_person = case.enterprise.legal_representative
    _place(case)


@transaction.atomic
def create_case(actor, data: dict) -> Case:
    """A case proposed for opening (立案申请, state draft); the approval is the first transition."""
    case, errors = open_for_create(actor, Case, data), ErrorCollector()
    require_fields(data, ["cause"], errors)
    case.entered_at = timezone.now()
    _apply_case(actor, case, data, errors)
    errors.raise_if_any()
    saved = save_record(actor, case, action="create", before=None)
    saved.number = case_number(saved)  # the case's file number from the proposal on (search, documents)
    Case.objects.filter(pk=saved.pk).update(number=saved.number)
    return saved


@transaction.atomic
def open_case_from_inspection(actor, inspection_pk, *, cause: str, facts: str = "", violated_basis: str = "") -> Case:
    record = scope.get_in_scope(actor, InspectionRecord.objects.all(), inspection_pk)
    if record.result != InspectionRecord.Result.VIOLATION:
        raise ValidationError({"inspection_id": [ValidationError(
            _("检查结论为“未发现违法行为”，不能据此立案"), code="no_violation")]})
    return create_case(actor, {"inspection_id": record.pk, "cause": cause, "facts": facts or record.findings,
                               "violated_basis": violated_basis})


@transaction.atomic
def update_case(actor, pk, data: dict, *, expected_version: int | None = None) -> Case:
    case = open_for_change(actor, Case, pk, data, expected_version=expected_version)
    if case.status not in EDITABLE_STATES:
        raise TransitionError(_("案件已告知当事人，不能再修改立案内容"))
    before, errors = snapshot(case), ErrorCollector()
    _apply_case(actor, case, data, errors)
    errors.raise_if_any()
    return save_record(actor, case, action="update", before=before)


def _changes_for(name: str, payload: dict) -> dict:
    keys = {"notify": ("penalty", "fine_amount", "penalty_basis"),
            "decide": ("penalty", "fine_amount", "penalty_basis", "decision_text"),
            "request_hearing": ("hearing_on",)}.get(name, ())
    changes = {key: payload.get(key) for key in keys if key in payload}
    if name == "demand" and payload.get("deadline"):
        changes["perform_by"] = payload["deadline"]
    if name == "enforce" and payload.get("measure"):
        changes["enforcement_measure"] = payload["measure"]
    return changes


def transition_case(actor, pk, name: str, *, expected_version: int, note: str = "", payload: dict | None = None,
                    attachments=()) -> Case:
    """One step of the case. Wrong role: PermissionDenied; wrong state, a missing note or a rule
    refused (the guard names the article): TransitionError; stale version: StaleRecord."""
    changes = {}
    transition = CASE_FLOW.transitions.get(name)
    if transition is not None and transition.payload is not None:
        try:  # validated by the engine; the record fields follow a valid payload
            parsed = transition.payload.model_validate(payload or {})
            changes = _changes_for(name, parsed.model_dump())
        except Exception:
            changes = {}
    return CASE_FLOW.apply(actor, Case, pk, name, expected_version=expected_version, note=note,
                           payload=payload, changes=changes, attachments=attachments)


def available_transitions(actor, case: Case):
    return CASE_FLOW.available(actor, case)


@transaction.atomic
def publish_decision(actor, pk, *, expected_version: int) -> Case:
    """公示 (安全生产法 第七十八条): a decided case goes on the public page; its publication limit is
    then met (due_at cleared unless a demand's deadline runs)."""
    case = open_for_change(actor, Case, pk, {}, expected_version=expected_version)
    if not case.decided_on:
        raise TransitionError(_("尚未作出处罚决定，不能公示"))
    if case.published_at:
        raise TransitionError(_("处罚决定已经公示"))
    before = snapshot(case)
    case.published_at = timezone.now()
    if case.status == Status.DECIDED:
        case.due_at, case.is_overdue = None, False
    return save_record(actor, case, action="publish", before=before)


# ---- evidence ----------------------------------------------------------------------------

@transaction.atomic
def add_evidence(actor, case_pk, *, kind: str, title: str, uploaded_file=None) -> Evidence:
    """证据: the file stored as an attachment of the case (type sniffed, size bounded, EXIF dropped)."""
    from citysafe.core.attachments import attach_file

    case = open_for_change(actor, Case, case_pk, {})
    errors = ErrorCollector()
    if kind not in Evidence.Kind.values:
        errors.add("kind", _("取值无效，可选：%(choices)s") % {"choices": "、".join(Evidence.Kind.labels)}, "choice")
    if not (title or "").strip():
        errors.add("title", _("此字段为必填项"), "required")
    elif len(title) > 200:
        errors.add("title", _("长度不能超过%(n)s个字符") % {"n": 200}, "max_length")
    if case.status not in (Status.INVESTIGATING, Status.NOTIFIED, Status.HEARING):
        errors.add("case", _("只能在调查取证至决定前收集证据（当前：%(state)s）") % {
            "state": case.get_status_display()}, "state")
    if Evidence.objects.filter(case=case).count() >= MAX_EVIDENCE:
        errors.add("file", _("每个案件最多%(n)s件证据") % {"n": MAX_EVIDENCE}, "too_many")
    errors.raise_if_any()
    attachment = attach_file(actor, "enforcement.case", case.pk, uploaded_file) if uploaded_file else None
    evidence = open_for_create(actor, Evidence, {"kind": kind, "title": title})
    evidence.case, evidence.kind, evidence.title, evidence.attachment = case, kind, title.strip(), attachment
    evidence.collected_at, evidence.collected_by = timezone.now(), actor if getattr(actor, "pk", None) else None
    return save_record(actor, evidence, action="create", before=None)


# ---- holidays ----------------------------------------------------------------------------

def _holiday_day(data: dict, errors: ErrorCollector) -> dict:
    """The day as a date (a page or a workbook gives text)."""
    value = data.get("day")
    if isinstance(value, str):
        from django.utils.dateparse import parse_date

        try:
            parsed = parse_date(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            errors.add("day", _("日期格式不正确（应为YYYY-MM-DD）"), "date")
            return {k: v for k, v in data.items() if k != "day"}
        return {**data, "day": parsed}
    return data


@transaction.atomic
def create_holiday(actor, data: dict) -> Holiday:
    holiday, errors = open_for_create(actor, Holiday, data), ErrorCollector()
    require_fields(data, ["day", "name"], errors)
    data = _holiday_day(data, errors)
    apply_fields(holiday, data, HOLIDAY_FIELDS, errors, actor=actor)
    if holiday.day and Holiday.objects.filter(day=holiday.day).exists():
        errors.add("day", _("该日期已在节假日表中"), "unique")
    errors.raise_if_any()
    return save_record(actor, holiday, action="create", before=None)


@transaction.atomic
def update_holiday(actor, pk, data: dict, *, expected_version: int | None = None) -> Holiday:
    holiday = open_for_change(actor, Holiday, pk, data, expected_version=expected_version)
    before, errors = snapshot(holiday), ErrorCollector()
    data = _holiday_day(data, errors)
    apply_fields(holiday, data, HOLIDAY_FIELDS, errors, actor=actor)
    if "day" in data and Holiday.objects.filter(day=holiday.day).exclude(pk=holiday.pk).exists():
        errors.add("day", _("该日期已在节假日表中"), "unique")
    errors.raise_if_any()
    return save_record(actor, holiday, action="update", before=before)
