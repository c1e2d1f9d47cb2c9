"""Demo data of the credit app (after load_demo and the other apps' demos): base rates for every
industry (high-risk ones marked), the joint-punishment departments of the criteria, list
entries in every state across the townships (the enterprise officers' own enterprises among
them), policies with their floating rates, claims, service agencies with qualifications,
services and evaluations. Deterministic and idempotent (nothing is added twice)."""
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

HIGH_RISK = {"hazchem": 3.0, "gas_station": 2.5, "lpg": 2.5, "construction": 2.0, "manufacturing": 1.5,
             "energy": 2.0, "transport": 1.8}
AGENCIES = [("91620000MA71AGY01A", "甘肃安泰安全评价有限公司", "evaluation"),
            ("91620000MA71AGY02B", "陇原检测检验技术有限公司", "testing"),
            ("91620000MA71AGY03C", "临夏安培安全培训中心", "training"),
            ("91620000MA71AGY04D", "金城安全咨询服务有限公司", "consulting")]
SCORES = [92, 85, 78, 88, 70, 95, 81, 66]


def _enterprises():
    from citysafe.accounts.models import User
    from citysafe.registry.models import Area, Enterprise

    chosen = list(Enterprise.objects.filter(pk__in=User.objects.filter(role="enterprise", enterprise__isnull=False)
                                            .values("enterprise_id")).order_by("pk")[:3])
    for township in Area.objects.filter(level="township").order_by("code"):
        chosen += list(Enterprise.objects.filter(township=township, industry__code__in=HIGH_RISK).order_by("pk")[:3])
    return list(dict.fromkeys(chosen))


def _officer_of(township_id):
    from citysafe.accounts.models import User

    return User.objects.filter(role="township", organisation__area_id=township_id, is_active=True).order_by("pk").first()


def seed_rates_and_criteria():
    import importlib

    from django.apps import apps

    from citysafe.credit.models import Criterion, IndustryBaseRate
    from citysafe.registry.models import Industry

    # A transactional test's flush empties what migration 0002 wrote: put it back (idempotent).
    importlib.import_module("citysafe.credit.migrations.0002_seed_rules").seed(apps, None)

    for n, industry in enumerate(Industry.objects.order_by("code"), start=1):
        IndustryBaseRate.objects.get_or_create(industry=industry, defaults={
            "code": f"JZ{n:03d}", "base_rate_permille": HIGH_RISK.get(industry.code, 1.0),
            "is_high_risk": industry.code in HIGH_RISK, "note": "演示数据：基准费率为示例值"})
    Criterion.objects.filter(joint_departments="").update(joint_departments="scjgj,zjj,fgj")


def seed_entries(admin) -> int:
    """One entry per chosen enterprise up to a dozen, cycling through the states."""
    from citysafe.credit.models import Criterion, ListEntry
    from citysafe.credit.services.entries import next_code
    from citysafe.credit.workflows import LIST_ENTRY

    if ListEntry.objects.filter(is_synthetic=True).exists():
        return ListEntry.objects.count()
    today, criteria = timezone.localdate(), list(Criterion.objects.order_by("code"))
    plans = ["published", "proposed", "notified", "published", "approved", "repair_applied", "removed", "published",
             "rejected", "published", "expired", "published"]
    for n, enterprise in enumerate(_enterprises()[:len(plans)]):
        plan, criterion = plans[n], criteria[n % len(criteria)]
        proposer = _officer_of(enterprise.township_id) or admin
        entry = ListEntry.objects.create(
            code=next_code(today.year), enterprise=enterprise, criterion=criterion, proposed_by=proposer,
            responsible_person=enterprise.legal_representative or "张建国", is_synthetic=True,
            basis_text=f"演示数据：{enterprise.name}{criterion.name[:20]}……（县应急管理局调查认定）",
            basis_reference=f"临应急罚〔{today.year}〕{n + 1}号", township_id=enterprise.township_id,
            grid_id=enterprise.grid_id, industry_id=enterprise.industry_id)
        published = today - timedelta(days=400 if plan in ("repair_applied", "removed") else 60 + n)
        steps = {"proposed": [], "approved": ["approve"], "notified": ["approve", "notify"],
                 "rejected": [("reject", "证据不足，不予列入")],
                 "published": ["approve", "notify", "publish"],
                 "repair_applied": ["approve", "notify", "publish", "apply_repair"],
                 "removed": ["approve", "notify", "publish", "apply_repair", "approve_repair"],
                 "expired": ["approve", "notify", "publish"]}[plan]
        changes = {"notify": {"notified_on": published - timedelta(days=10)},
                   "publish": {"published_on": published, "expires_on": published + timedelta(days=3 * 365)},
                   "apply_repair": {"repair_applied_on": today - timedelta(days=5),
                                    "repair_reason": "已缴清罚款、完成整改并通过复查，公开作出信用承诺"},
                   "approve_repair": {"removed_on": today}}
        for step in steps:
            step, note = step if isinstance(step, tuple) else (step, "")
            entry.refresh_from_db()
            LIST_ENTRY.apply(admin, ListEntry, entry.pk, step, expected_version=entry.version, note=note,
                             changes=changes.get(step, {}))
        if plan == "expired":  # published three years ago: the expiry job takes it off
            ListEntry.objects.filter(pk=entry.pk).update(expires_on=today - timedelta(days=1))
    return ListEntry.objects.count()


def seed_insurance(admin) -> int:
    from citysafe.credit.kinds import CLAIMS, POLICIES
    from citysafe.credit.models import InsurancePolicy

    if InsurancePolicy.objects.filter(is_synthetic=True).exists():
        return InsurancePolicy.objects.count()
    today, rng = timezone.localdate(), random.Random(18)  # noqa: S311 (deterministic demo data)
    insurers = ["中国人民财产保险股份有限公司临夏分公司", "中国平安财产保险股份有限公司甘肃分公司", "中华联合财产保险股份有限公司"]
    enterprises = _enterprises()
    for n, enterprise in enumerate(enterprises):
        if n % 4 == 3:
            continue  # some high-risk enterprises stay uninsured (the list of them)
        expired = n % 5 == 4
        start = today - timedelta(days=500 if expired else 100 + n)
        persons = rng.randint(10, 200)
        policy = POLICIES.create(admin, {
            "code": f"PAZ{today.year}{n + 1:05d}", "enterprise_id": enterprise.pk, "insurer": insurers[n % 3],
            "starts_on": start, "ends_on": start + timedelta(days=364), "insured_persons": persons,
            "sum_per_person": 800_000, "premium": round(persons * 320.0, 2)})
        InsurancePolicy.objects.filter(pk=policy.pk).update(is_synthetic=True)
        if n % 3 == 0 and not expired:
            CLAIMS.create(admin, {"code": f"LP{today.year}{n + 1:05d}", "policy_id": policy.pk,
                                  "accident_on": start + timedelta(days=30), "deaths": n % 2, "injuries": 2,
                                  "claimed": 150_000.0, "paid": 120_000.0, "status": "paid",
                                  "description": "演示数据：作业人员受伤，保险公司已赔付"})
    return InsurancePolicy.objects.count()


def seed_agencies(admin) -> int:
    from citysafe.credit.kinds import AGENCIES as AGENCY_KIND
    from citysafe.credit.kinds import EVALUATIONS, QUALIFICATIONS, SERVICES
    from citysafe.credit.models import ServiceAgency

    if ServiceAgency.objects.exists():
        return ServiceAgency.objects.count()
    today = timezone.localdate()
    enterprises = _enterprises()
    for n, (code, name, kind) in enumerate(AGENCIES):
        agency = AGENCY_KIND.create(admin, {"code": code, "name": name, "address": "甘肃省临夏州", "contact": "王经理",
                                            "phone": "0930-621000" + str(n)})
        QUALIFICATIONS.create(admin, {"code": f"APJ-甘-{2024 + n % 2}-{n + 1:03d}", "agency_id": agency.pk,
                                      "qualification_type": kind, "issuer": "甘肃省应急管理厅",
                                      "valid_from": today - timedelta(days=700), "valid_until":
                                      today + timedelta(days=400 if n != 3 else -30)})
        for m, enterprise in enumerate(enterprises[n::len(AGENCIES)][:4]):
            service = SERVICES.create(admin, {"code": f"FW{today.year}{n + 1}{m + 1:03d}", "agency_id": agency.pk,
                                              "enterprise_id": enterprise.pk, "service_type": kind,
                                              "delivered_on": today - timedelta(days=20 + 7 * m),
                                              "summary": "演示数据：现场评价与报告"})
            EVALUATIONS.create(admin, {"code": f"PJ{today.year}{n + 1}{m + 1:03d}", "service_id": service.pk,
                                       "score": SCORES[(n + m) % len(SCORES)], "comment": "服务及时，报告规范"})
    return ServiceAgency.objects.count()


@transaction.atomic
def build_credit_demo(admin=None) -> dict:
    from citysafe.accounts.models import User

    admin = admin or User.objects.get(username="admin")
    seed_rates_and_criteria()
    return {"entries": seed_entries(admin), "policies": seed_insurance(admin), "agencies": seed_agencies(admin)}
