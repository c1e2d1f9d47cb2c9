"""Demo data of the enforcement app (after load_demo and load_laws): on-site inspection records
at enterprises across the townships and cases in several steps — awaiting approval, under
investigation and, where the laws are loaded (the legal basis must resolve), notified, decided
and published, closed. Written through the services as the demo's users; idempotent: nothing is
added when demo cases exist."""
from django.utils import timezone

from citysafe.accounts.models import User
from citysafe.core.roles import Role
from citysafe.enforcement.models import Case, InspectionRecord
from citysafe.enforcement.services import records
from citysafe.registry.models import Enterprise

FINDINGS = [
    ("未对安全设备进行经常性维护、保养", "安全生产法 第三十六条", "安全生产法 第九十九条", "fine", "8000"),
    ("未按规定对从业人员进行安全生产教育和培训", "安全生产法 第二十八条", "安全生产法 第九十七条", "fine", "30000"),
    ("未建立事故隐患排查治理制度", "安全生产法 第四十一条", "安全生产法 第一百零一条", "warning", None),
    ("安全出口、疏散通道被堵塞", "安全生产法 第四十二条", "安全生产法 第一百零五条", "stop_production", None),
]


def _law_loaded() -> bool:
    from citysafe.knowledge.citations import resolve_citation

    found = resolve_citation("安全生产法 第九十九条")
    return bool(found and found.is_resolved)


def _regulator(enterprise) -> User:
    users = User.objects.filter(is_active=True, is_service_account=False)
    return (users.filter(role=Role.TOWNSHIP, organisation__area_id=enterprise.township_id).order_by("id").first()
            or users.get(username="admin"))


def _step(actor, case, name, note="", **payload):
    case.refresh_from_db()
    return records.transition_case(actor, case.pk, name, expected_version=case.version, note=note,
                                   payload=payload or None)


def build_enforcement_demo(per_township: int = 2) -> dict:
    if Case.objects.filter(is_synthetic=True).exists():
        return {"inspection_records": 0, "cases": 0}
    admin = User.objects.get(username="admin")
    with_law = _law_loaded()
    enterprises, seen = [], {}
    for enterprise in Enterprise.objects.filter(archived_at__isnull=True).order_by("township_id", "id"):
        if seen.get(enterprise.township_id, 0) < per_township:
            seen[enterprise.township_id] = seen.get(enterprise.township_id, 0) + 1
            enterprises.append(enterprise)
    cases = 0
    for i, enterprise in enumerate(enterprises):
        finding, violated, basis, penalty, amount = FINDINGS[i % len(FINDINGS)]
        actor = _regulator(enterprise)
        record = records.create_inspection_record(admin, {
            "enterprise_id": enterprise.pk, "inspectors": "马明 62010031、王强 62010047", "findings": finding,
            "present_person": enterprise.legal_representative, "site": enterprise.address,
            "result": "violation" if i % 5 != 4 else "compliant", "is_synthetic": True,
            "inspected_at": timezone.now() - timezone.timedelta(days=30 - i % 30)})
        if record.result != InspectionRecord.Result.VIOLATION:
            continue
        case = records.create_case(admin, {"inspection_id": record.pk, "cause": finding, "facts": finding,
                                           "violated_basis": violated, "is_synthetic": True})
        cases += 1
        stage = i % 5
        if stage == 0:
            continue  # awaiting approval (待立案审批)
        case = _step(admin, case, "approve_opening", note="同意立案")
        if stage == 1 or not with_law:
            continue
        payload = {"penalty": penalty, "penalty_basis": basis, **({"fine_amount": amount} if amount else {})}
        case = _step(actor, case, "notify", **payload)
        if stage == 2:
            continue
        case = _step(actor, case, "waive", note="当事人书面放弃陈述、申辩（演示）")
        case = _step(admin, case, "decide", decision_text=f"{finding}，依法给予行政处罚。", **payload)
        records.publish_decision(admin, case.pk, expected_version=case.version)
        if stage == 3:
            case = _step(actor, case, "start_execution")
            _step(actor, case, "close", note="当事人已履行（演示）")
    return {"inspection_records": InspectionRecord.objects.filter(is_synthetic=True).count(), "cases": cases}
