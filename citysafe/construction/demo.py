"""Demo data of the construction app (after load_demo): projects on the demo's construction sites
in the county seat (the first township) with their high-danger works and work permits in
several states. Idempotent: projects are found by their code. Works and permits are created
through the kinds' services and moved through the workflows, so the audit trail is real."""
from datetime import timedelta

from django.utils import timezone

from citysafe.accounts.models import User
from citysafe.construction.kinds import PERMITS, PROJECTS, WORKS
from citysafe.construction.models import CONSTRUCTION_INDUSTRY, ConstructionProject, WorkPermit
from citysafe.construction.services.transitions import transition_permit
from citysafe.core.roles import Role
from citysafe.registry.models import Area, Enterprise, Place

WORKS_OF_A_PROJECT = [  # (name, category, scale, description)
    ("1#楼基坑支护及土方开挖", "excavation", 6.5, "开挖深度6.5m"),
    ("主体结构落地式脚手架", "scaffolding", 36.0, "搭设高度36m"),
    ("塔式起重机安装拆卸", "lifting", 60.0, "最大单件起吊重量60kN"),
]


def build_construction_demo(townships: int = 1, per_township: int = 3) -> dict:
    admin = User.objects.get(username="admin")
    projects = permits = 0
    for township in Area.objects.filter(level="township").order_by("code")[:townships]:
        sites = Place.objects.filter(place_type="construction_site", township=township,
                                     archived_at__isnull=True).order_by("id")[:per_township]
        # Building firms first (房屋建筑和市政工程: the housing bureau's industry), then any others.
        live = Enterprise.objects.filter(township=township, archived_at__isnull=True)
        firms = list(live.filter(industry__code=CONSTRUCTION_INDUSTRY).order_by("id")[:4])
        firms += list(live.exclude(industry__code=CONSTRUCTION_INDUSTRY).order_by("id")[:4 - len(firms)])
        officer = User.objects.filter(role=Role.TOWNSHIP, organisation__area=township).order_by("username").first()
        for n, site in enumerate(sites):
            code = f"JS-{township.code}-{n + 1:02d}"
            if ConstructionProject.objects.filter(code=code).exists() or len(firms) < 2:
                continue
            project = PROJECTS.create(admin, {
                "code": code, "name": site.name.replace("工地", "").replace("施工现场", "") + "建设项目",
                "permit_number": f"{township.code[:6]}2026{n + 1:04d}0101", "site_id": site.pk,
                "builder_id": firms[n % len(firms)].pk, "contractor_id": firms[(n + 1) % len(firms)].pk,
                "start_on": timezone.localdate() - timedelta(days=60), "status": "under_way",
                "planned_end_on": timezone.localdate() + timedelta(days=400),
                "project_manager": "张建国", "project_manager_phone": "13893001234",
                "safety_officer": "李安全", "safety_officer_phone": "13993005678"})
            ConstructionProject.objects.filter(pk=project.pk).update(is_synthetic=True)
            projects += 1
            for m, (name, category, scale, description) in enumerate(WORKS_OF_A_PROJECT):
                WORKS.create(admin, {"project_id": project.pk, "code": f"{code}-W{m + 1}", "name": name,
                                     "category": category, "scale_value": scale, "scale_description": description})
            permits += _permits(admin, officer, project, code)
    return {"projects": projects, "permits": permits}


def _permits(admin, approver, project, code) -> int:
    now = timezone.now()
    specs = [("hot_work", "2#楼钢筋焊接", False), ("confined_space", "污水检查井内管道连接", True),
             ("excavation", "场地东侧给水管沟开挖", False)]
    for m, (kind, location, approve) in enumerate(specs):
        permit = PERMITS.create(admin, {"project_id": project.pk, "code": f"{code}-P{m + 1}", "kind": kind,
                                        "work_location": location, "valid_from": now - timedelta(hours=1),
                                        "valid_to": now + timedelta(hours=7), "guardian": "王监护"})
        if approve and approver is not None:
            transition_permit(approver, permit.pk, "approve", expected_version=permit.version)
    WorkPermit.objects.filter(project=project).update(is_synthetic=True)
    return len(specs)
