"""Deterministic demo hazards (load_hazard_demo, after load_demo and load_risk_demo): hazards in
every state of the loop over the demo county's places and enterprises, some major and listed,
some overdue, a few fixed on the spot, public reports triaged and untriaged. Everything goes
through the services as the demo admin; only the dates are moved into the past afterwards
(discovery months for the statistics, past deadlines for the overdue ones), since the services
rightly refuse a deadline in the past. Idempotent: nothing happens when demo hazards exist."""
import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from citysafe.core.roles import Role
from citysafe.hazards.models import Category, Hazard, PublicReport, Source, Status
from citysafe.hazards.services import hazards as services
from citysafe.hazards.services.deadlines import overdue_scan
from citysafe.hazards.services.reports import decide_reward, propose_reward, submit_report, triage_report
from citysafe.registry.models import Place

DESCRIPTIONS = {
    "fire": ["疏散通道堆放杂物", "安全出口上锁", "灭火器过期失效", "消防栓被遮挡", "应急照明损坏"],
    "electrical": ["私拉乱接电线", "配电箱未接地", "电动车室内充电"],
    "gas": ["液化气钢瓶与灶具距离不足", "燃气报警器未安装", "燃气管道锈蚀"],
    "chemicals": ["危化品超量储存", "储罐区可燃气体报警器失效", "危化品未分类存放"],
    "structural": ["外墙饰面空鼓脱落", "屋面违规加层"],
    "special_equipment": ["电梯超期未检验", "锅炉安全阀未校验"],
    "construction": ["脚手架连墙件缺失", "深基坑临边防护缺失"],
    "traffic": ["临崖路段缺少护栏", "学校门口标线不清"],
    "flood": ["排水沟堵塞", "地下车库挡水设施缺失"],
}
# (state reached, how many in 300) — every state of the loop
PLAN = [("registered", 30), ("graded", 24), ("notified", 30), ("rectifying", 66), ("acceptance_requested", 24),
        ("closed", 100), ("rejected", 10), ("fixed_on_spot", 16)]
STEPS = {"graded": ["grade"], "notified": ["grade", "issue_notice"], "rectifying": ["grade", "issue_notice", "start"],
         "acceptance_requested": ["grade", "issue_notice", "start", "request_acceptance"],
         "closed": ["grade", "issue_notice", "start", "request_acceptance", "reinspect_pass"],
         "rejected": ["reject"], "registered": []}


def _png(seed: int) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (seed * 37 % 255, 120, 90)).save(buffer, "PNG")
    return SimpleUploadedFile(f"photo{seed}.png", buffer.getvalue(), content_type="image/png")


def _payload(name, rng, major, today, unit="责任单位"):
    if name == "grade":
        return {"grade": "major" if major else "general",
                "reason": "需停产停业整改，整改难度大" if major else "危害较小，易于整改"}
    if name == "issue_notice":
        return {"responsible_unit": unit, "responsible_person": rng.choice(["马明", "王强", "李红", "赵军"]),
                "measures": "按规范整改并留存整改前后照片", "deadline": (today + datetime.timedelta(days=rng.randint(5, 60)))}
    return None


def _walk(admin, hazard, steps, rng, major, today):
    for name in steps:
        hazard.refresh_from_db()
        if name == "request_acceptance" and major:
            hazard = services.save_rectification_plan(admin, hazard.pk, {
                "plan_measures": "制定专项方案，分步整改", "plan_funds": str(rng.randint(2, 80)), "plan_person": "企业主要负责人",
                "plan_deadline": today + datetime.timedelta(days=30), "plan_emergency": "现场处置方案已编制并演练",
                "stop_production": True}, expected_version=hazard.version)
        services.transition_hazard(admin, hazard.pk, name, expected_version=hazard.version,
                                   note="经核实不属于事故隐患" if name == "reject" else "",
                                   payload=_payload(name, rng, major, today, str(hazard.place or hazard.parent)[:200]))


def build_hazard_demo(total: int = 300, verbose=print) -> dict:
    if Hazard.objects.filter(is_synthetic=True).exists():
        return {"already_loaded": Hazard.objects.filter(is_synthetic=True).count()}
    admin = get_user_model().objects.filter(role=Role.ADMIN, is_active=True, is_service_account=False).order_by(
        "id").first()
    if admin is None:
        raise RuntimeError("load_demo first: no admin account")
    _ensure_seeded_rules()
    rng = random.Random(20261130)  # noqa: S311 (demo data, deterministic)
    today = timezone.localdate()
    places = list(Place.objects.filter(archived_at__isnull=True, grid__isnull=False).order_by("id")
                  .values_list("pk", flat=True)[:5000])
    if not places:
        raise RuntimeError("load_demo first: no places")
    scale = total / 300
    n = 0
    for state, count in PLAN:
        for _i in range(max(1, round(count * scale))):
            n += 1
            category = rng.choice(list(DESCRIPTIONS))
            data = {"category": category, "description": rng.choice(DESCRIPTIONS[category]),
                    "place_id": rng.choice(places), "is_synthetic": True,
                    "source": rng.choice([s for s in Source.values if s != Source.PUBLIC_REPORT])}
            if state == "fixed_on_spot":
                services.register_fixed_on_spot(admin, data, before_photos=[_png(n)], after_photos=[_png(n + 1)],
                                                note="现场整改完毕")
                continue
            major = state not in ("registered", "rejected") and n % 9 == 0
            hazard = services.create_hazard(admin, data)
            _walk(admin, hazard, STEPS[state], rng, major, today)
            if major and state in ("notified", "rectifying", "acceptance_requested") and n % 2 == 0:
                hazard.refresh_from_db()
                services.list_for_supervision(admin, hazard.pk, authority="东乡县安全生产委员会办公室",
                                              deadline=today + datetime.timedelta(days=45),
                                              expected_version=hazard.version)
    _inspections(rng, today)
    _backdate(rng, today)
    _reports(admin, rng)
    overdue_scan()
    demo = Hazard.objects.filter(is_synthetic=True)
    return {"hazards": demo.count(), "major": demo.filter(grade="major").count(),
            "listed": demo.filter(is_listed=True).count(), "overdue": demo.filter(is_overdue=True).count(),
            "reports": PublicReport.objects.filter(is_synthetic=True).count()}


def _backdate(rng, today):
    """Spread discovery over the last year and put a third of the rectifying deadlines in the past."""
    now = timezone.now()
    for hazard in Hazard.objects.filter(is_synthetic=True).order_by("id"):
        found = now - datetime.timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
        values = {"found_at": found}
        if hazard.closed_at:
            values["closed_at"] = found + datetime.timedelta(days=rng.randint(1, 40))
        if hazard.status == Status.RECTIFYING and hazard.pk % 3 == 0:
            deadline = today - datetime.timedelta(days=rng.randint(1, 20))
            values.update(rectification_deadline=deadline, found_at=now - datetime.timedelta(days=60),
                          due_at=timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(23, 59, 59))))
        Hazard.objects.filter(pk=hazard.pk).update(**values)


def _reports(admin, rng):
    centre = Place.objects.filter(archived_at__isnull=True, lon__isnull=False).order_by("id")
    points = list(centre.values_list("lon", "lat")[:200])
    for i in range(12):
        lon, lat = points[(i * 17) % len(points)]
        report = submit_report(f"demo-{i % 3}-{i}", description=rng.choice(sum(DESCRIPTIONS.values(), [])) + "（群众举报）",
                               lon=lon, lat=lat, category=rng.choice(Category.values), place_note="附近",
                               reporter_name="王某" if i % 2 else "", reporter_phone="13800000000" if i % 2 else "")
        PublicReport.objects.filter(pk=report.pk).update(is_synthetic=True)
        report.refresh_from_db()
        if i % 3 == 0 and report.township_id:
            report = triage_report(admin, report.pk, "accept", expected_version=report.version, note="已核实",
                                   hazard_data={"is_synthetic": True})
            hazard = report.hazard
            services.transition_hazard(admin, hazard.pk, "grade", expected_version=hazard.version,
                                       payload={"grade": "general", "reason": "群众举报经核实"})
            reward = propose_reward(admin, report.pk)
            if i % 2 == 0:
                reward = decide_reward(admin, reward.pk, "approve", expected_version=reward.version)
        elif i % 3 == 1:
            triage_report(admin, report.pk, "reject", expected_version=report.version, note="现场核查未发现问题")


def _inspections(rng, today):
    """Tasks for grid workers over their grids' places (some open, due soon) and past inspections
    (backdated over six months), a few items failed — each failed item became a hazard."""
    from citysafe.hazards.inspection_models import ChecklistTemplate, Inspection, InspectionTask
    from citysafe.hazards.services.inspections import submit_inspection

    templates = {t.place_type: t for t in ChecklistTemplate.objects.all()}
    workers = list(get_user_model().objects.filter(role=Role.GRID, is_active=True).order_by("id")[:12])
    for worker in workers:
        grid_places = list(Place.objects.filter(grid__in=worker.grids.all(), archived_at__isnull=True).order_by("id")[:8])
        for p_index, place in enumerate(grid_places):
            template = templates.get(place.place_type) or templates[""]
            task = InspectionTask.objects.create(
                template=template, place=place, assignee=worker, due_on=today + datetime.timedelta(days=7 + p_index),
                township_id=place.township_id, grid_id=place.grid_id, is_synthetic=True)
            if p_index % 2 == 0:
                results = [{"ok": not (n == 0 and p_index % 4 == 0), "note": ""} for n in range(len(template.items))]
                inspection, created = submit_inspection(worker, template_id=template.pk, place_id=place.pk,
                                                        task_id=task.pk, results=results)
                when = timezone.now() - datetime.timedelta(days=rng.randint(1, 180))
                Inspection.objects.filter(pk=inspection.pk).update(inspected_at=when, is_synthetic=True)
                Hazard.objects.filter(pk__in=[h.pk for h in created]).update(is_synthetic=True)


def _ensure_seeded_rules():
    """The reward rules and checklist templates come from migrations 0002/0004; a test database
    flushed by a transactional test has lost them, so the demo seeds them again when missing."""
    import importlib

    from django.apps import apps as global_apps

    for name in ("0002_seed_reward_rules", "0004_seed_checklists"):
        importlib.import_module(f"citysafe.hazards.migrations.{name}").seed(global_apps, None)
