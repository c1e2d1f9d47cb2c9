"""Shared fixtures: a small synthetic county loaded once per test session.

`world` gives named users for every role and records inside / outside their scopes.
Transactional tests (live server, browser, worker processes) get the same county through
`transactional_world`, rebuilt after each flush.
"""
import pytest

from citysafe.registry.demo.county import DemoSize, build_county

DEMO_PASSWORD = "Demo-2026!"


class World:
    """Handles on the small demo county by role."""

    def __init__(self):
        from citysafe.accounts.models import User
        from citysafe.core.roles import Role
        from citysafe.registry.models import Area, Enterprise

        users = User.objects.select_related("organisation", "enterprise")
        self.admin = users.get(username="admin")
        self.leader = users.get(username="leader")
        self.township_a = Area.objects.filter(level="township").order_by("code")[0]
        self.township_b = Area.objects.filter(level="township").order_by("code")[1]
        self.township_officer = users.get(role=Role.TOWNSHIP, organisation__area=self.township_a)
        self.other_township_officer = users.get(role=Role.TOWNSHIP, organisation__area=self.township_b)
        self.department = users.get(username="dept_yjj")  # 应急管理局: hazchem, gas stations, manufacturing
        self.other_department = users.get(username="dept_jyj")  # 教育局
        self.grid_worker = users.filter(role=Role.GRID, grids__township=self.township_a).order_by("username")[0]
        self.grid = self.grid_worker.grids.get()
        self.enterprise_officer = users.filter(role=Role.ENTERPRISE).order_by("username")[0]
        self.enterprise = self.enterprise_officer.enterprise
        self.enterprise_in_a = Enterprise.objects.filter(township=self.township_a).order_by("id").first()
        self.enterprise_in_b = Enterprise.objects.filter(township=self.township_b).order_by("id").first()

    def role_users(self):
        return {
            "admin": self.admin, "leader": self.leader, "department": self.department,
            "township": self.township_officer, "grid": self.grid_worker, "enterprise": self.enterprise_officer,
        }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_county(DemoSize.small(), password=DEMO_PASSWORD)
        _seed_test_kinds()


def _seed_test_kinds():
    """Records of the test-only record kinds (tests/kindapp), where installed, and the demo risk
    data (risk points, assessments, measures, major hazard installations) and demo hazards of the apps' kinds."""
    from django.apps import apps
    from django_tasks_db.models import DBTaskResult

    from citysafe.notifications.models import Notification
    from citysafe.risks.demo import build_risk_demo

    queued = (set(Notification.objects.values_list("pk", flat=True)), set(DBTaskResult.objects.values_list("pk", flat=True)))
    build_risk_demo()
    from citysafe.hazards.demo import build_hazard_demo

    build_hazard_demo(total=40)  # hazards in every state of the loop, reports (the scope matrices' records)
    from citysafe.core.workflow.deadlines import run_sweep
    from citysafe.hazards.services.deadlines import HAZARD_DEADLINES

    run_sweep(HAZARD_DEADLINES)  # the demo's overdue hazards are escalated now: later sweeps start from zero
    # The demo's review notifications (and their delivery job) are left out of the session
    # database: the outbox tests start from an empty queue.
    Notification.objects.exclude(pk__in=queued[0]).delete()
    DBTaskResult.objects.exclude(pk__in=queued[1]).delete()

    if apps.is_installed("tests.kindapp"):
        from citysafe.accounts.models import User
        from tests.kindapp.seed import seed_hydrants

        seed_hydrants(User.objects.get(username="admin"))


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def transactional_world(transactional_db):
    from citysafe.registry.models import Area

    if not Area.objects.exists():
        _reseed_migration_data()
        build_county(DemoSize.small(), password=DEMO_PASSWORD)
        _seed_test_kinds()
    return World()


def _reseed_migration_data():
    """Rows written by data migrations (the system account, the risk standards tables, the
    substance catalogue) are gone after an earlier transactional test flushed the database."""
    import importlib

    from django.apps import apps as global_apps

    from citysafe.accounts.models import User
    from citysafe.risks.models import MethodScale, Substance

    steps = [(not User.objects.filter(username="system").exists(), "citysafe.accounts.migrations.0004_system_user",
              "create_system_user"),
             (not MethodScale.objects.exists(), "citysafe.risks.migrations.0002_seed_standards", "seed"),
             (not Substance.objects.exists(), "citysafe.risks.migrations.0003_seed_substances", "seed")]
    for missing, module, function in steps:
        if missing:
            getattr(importlib.import_module(module), function)(global_apps, None)
