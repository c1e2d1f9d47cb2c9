"""Demo supervision data (load_supervision_demo, after load_demo, load_risk_demo and
load_hazard_demo): this year's enterprise classes, the 应急管理局's inspector roster (dept_yjj and
six synthetic inspectors), its annual plan, a registered relation and one random draw with a
fixed seed. Idempotent."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from citysafe.accounts.models import Organisation
from citysafe.core.roles import Role
from citysafe.supervision.models import EnforcementPlan, Inspector, Qualification, RandomDraw
from citysafe.supervision.services import classification, draws, plans, roster
from citysafe.supervision.services.common import enterprises_of

DEMO_SEED = 20260101
# (username, name, qualification); synthetic people
INSPECTORS = [
    ("dept_yjj", None, Qualification.HAZCHEM),
    ("insp_yjj_01", "王建国", Qualification.HAZCHEM),
    ("insp_yjj_02", "李明华", Qualification.HAZCHEM),
    ("insp_yjj_03", "张志强", Qualification.INDUSTRY),
    ("insp_yjj_04", "刘晓燕", Qualification.INDUSTRY),
    ("insp_yjj_05", "陈文博", Qualification.GENERAL),
    ("insp_yjj_06", "赵海峰", Qualification.FIRE),
    ("insp_yjj_07", "孙立新", Qualification.HAZCHEM),
    ("insp_yjj_08", "周慧敏", Qualification.HAZCHEM),
]


def _inspector_users(department):
    users = get_user_model().objects
    admin = users.filter(username="admin").first()
    password = admin.password if admin else make_password(None)
    found = []
    for n, (username, name, qualification) in enumerate(INSPECTORS, 1):
        user = users.filter(username=username).first()
        if user is None:
            user = users.create(username=username, role=Role.DEPARTMENT, organisation=department,
                                last_name=name or "", password=password)
        found.append((user, qualification, f"6229{n:06d}", f"1380930{n:04d}"))
    return found


def build_supervision_demo(year: int | None = None) -> dict:
    admin = get_user_model().objects.get(username="admin")
    department = Organisation.objects.get(code="yjj")
    year = year or timezone.localdate().year
    for user, qualification, certificate, phone in _inspector_users(department):
        if not Inspector.objects.filter(user=user).exists():
            roster.add_inspector(admin, user_id=user.pk, qualification=qualification, certificate_number=certificate,
                                 phone=phone, department_id=department.pk, is_synthetic=True)
    summary = classification.classify_enterprises(admin, year)
    plan = EnforcementPlan.objects.filter(department=department, year=year).first()
    if plan is None:
        plan = plans.create_plan(admin, year=year, department_id=department.pk)
    pool_first = enterprises_of(department).order_by("id").first()
    first_inspector = Inspector.objects.filter(department=department).order_by("id").first()
    if pool_first and first_inspector:
        roster.link_inspector(admin, inspector_id=first_inspector.pk, enterprise_id=pool_first.pk,
                              relation="former_employee", note="演示：曾在该企业任职")
    draw = RandomDraw.objects.filter(department=department, is_synthetic=True).first()
    if draw is None:
        draw = draws.run_draw(admin, title=f"{year}年度危险化学品企业安全生产双随机抽查（第一批）", year=year,
                              classes=["A", "B", "C", "D"], required_qualification=Qualification.HAZCHEM, targets=5,
                              due_on=timezone.localdate() + timedelta(days=30), department_id=department.pk,
                              seed=DEMO_SEED, is_synthetic=True)
    return {"classified": summary["enterprises"], "plan_lines": plan.lines.count(),
            "inspectors": Inspector.objects.filter(department=department).count(), "draw": draw.number}
