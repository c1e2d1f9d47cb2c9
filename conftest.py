"""Shared fixtures: a small synthetic county loaded once per test session.

`world` gives named users for every role and records inside / outside their scopes.
Transactional tests (live server, browser, worker processes) get the same county through
`transactional_world`: the database is put back from a copy of the seeded session database
taken once per session (`SeededCopy`), not re-seeded record by record, and a transactional
test's teardown restores that copy instead of flushing every table.
"""
import contextlib
import os
import sqlite3
import weakref

import pytest

from citysafe.registry.demo.county import DemoSize, build_county

DEMO_PASSWORD = "Demo-2026!"

# PostgreSQL: a commit does not wait for its WAL record to reach the disk (synchronous_commit
# off, through libpq's PGOPTIONS: this process's connections and those of the worker and server
# processes tests start). About 6 ms less per commit here, and the seed and the transactional
# and worker tests commit thousands of times. What it gives up, a commit surviving a crash of
# the database server itself, is not a case any test makes; what other sessions see is unchanged.
if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://", "postgis://")):
    os.environ["PGOPTIONS"] = (os.environ.get("PGOPTIONS", "") + " -c synchronous_commit=off").strip()


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
        SeededCopy.take()
    yield
    with django_db_blocker.unblock():
        SeededCopy.drop()


class SeededCopy:
    """A copy of the seeded test database, taken once per session (per xdist worker), that a
    transactional test's flush is undone from. Re-seeding (county + every app's demo) took
    tens of seconds per transactional test, most on PostgreSQL; a copy takes about a second:
    PostgreSQL `CREATE DATABASE … TEMPLATE`, SQLite's online backup API. The copy also keeps
    the session's ids, so what a test remembers by id (caches, the outbox) stays valid.
    Hand-written because pytest-django only offers --reuse-db (across sessions, unseeded)."""

    name: str | None = None
    # DROP DATABASE … WITH (FORCE) also terminates sessions `connections.close_all()` cannot
    # reach — a connection Django keeps per async context (Playwright's sync API runs one) or
    # per thread — and a later query on one failed with "terminating connection due to
    # administrator command" (tests/browser/test_major_hazard_walk.py). So every connection
    # Django opens is remembered (the connection_created signal, weakly) and closed before the
    # drop; its wrapper reconnects, to the restored database, when next used.
    ON_POSTGRESQL = True
    opened: "weakref.WeakSet" = weakref.WeakSet()

    @classmethod
    def remember(cls, sender, connection, **kwargs) -> None:
        cls.opened.add(connection)

    @classmethod
    def close_everywhere(cls, database: str) -> None:
        """Close every connection to `database` that any thread or async context holds. Not
        through the wrapper's close(), which refuses another thread's connection: the raw
        connection is closed and the wrapper forgets it, so it reconnects when next used."""
        for wrapper in list(cls.opened):
            raw = wrapper.connection
            if raw is None or wrapper.settings_dict.get("NAME") != database:
                continue
            with contextlib.suppress(Exception):
                raw.close()
            wrapper.connection = None

    @classmethod
    def take(cls) -> None:
        from django.db import connection, connections

        vendor, database = connection.vendor, connection.settings_dict["NAME"]
        if vendor == "postgresql" and not cls.ON_POSTGRESQL:
            return
        if vendor == "postgresql":
            copy = f"{database}_seeded"
            connections.close_all()  # a template must have no other session
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(copy)}")
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(copy)} TEMPLATE "
                               f"{connection.ops.quote_name(database)}")
        elif vendor == "sqlite" and not connection.is_in_memory_db():
            copy = f"{database}.seeded"
            connections.close_all()
            _sqlite_copy(database, copy)
        else:
            return
        cls.name = copy

    @classmethod
    def restore(cls) -> bool:
        """Put the seeded database back (False: no copy, re-seed instead)."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, connections

        if cls.name is None:
            return False
        database = connection.settings_dict["NAME"]
        connections.close_all()
        if connection.vendor == "postgresql":
            cls.close_everywhere(database)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE {connection.ops.quote_name(database)} WITH (FORCE)")
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(database)} TEMPLATE "
                               f"{connection.ops.quote_name(cls.name)}")
        else:
            _sqlite_copy(cls.name, database)
        ContentType.objects.clear_cache()  # the flush's post_migrate made new content type rows
        return True

    @classmethod
    def drop(cls) -> None:
        import os

        from django.db import connection

        if cls.name is None:
            return
        if connection.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(cls.name)} WITH (FORCE)")
        else:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(cls.name + suffix):
                    os.remove(cls.name + suffix)
        cls.name = None


def _connect_remember() -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(SeededCopy.remember, dispatch_uid="conftest-seeded-copy")


_connect_remember()


def _restore_instead_of_flush() -> None:
    """A transactional test (live server, browser, worker processes) ends with Django's flush:
    TRUNCATE of every table, then post_migrate (content types and permissions written again),
    and the next transactional test then puts the seeded copy back anyway. Put the copy back at
    teardown instead, which leaves the database as the flush and restore together would
    (seeded, the session's ids): on PostgreSQL DROP … WITH (FORCE) + CREATE … TEMPLATE, about a
    second (0.2–0.7 s measured), where the flush of ~400 tables took 0.7–1.9 s. Tests that ask for more databases than
    `default`, or a session without a copy, keep Django's flush. pytest-django runs the
    transactional tests after all the others, so no test inside a transaction sees this."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self) -> None:
        if list(self._databases_names(include_mirrors=False)) == ["default"] and SeededCopy.restore():
            return
        flush(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown


_restore_instead_of_flush()


def _sqlite_copy(source: str, target: str) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _seed_test_kinds():
    """Records of the test-only record kinds (tests/kindapp), where installed, and the apps'
    demo data: risk points, assessments, measures, major hazard installations; the emergency
    app's roads, resources, plans and incidents; the monitoring app's devices;
    unpublished warnings; hazards in every state of the loop."""
    from django.apps import apps
    from django_tasks_db.models import DBTaskResult

    from citysafe.accounts.models import User
    from citysafe.assessment.demo import seed_accidents
    from citysafe.core.workflow.deadlines import run_sweep
    from citysafe.early_warning.demo import seed_warnings
    from citysafe.emergency.demo.resources import seed_incidents, seed_resources
    from citysafe.emergency.demo.roads import seed_roads
    from citysafe.hazards.demo import build_hazard_demo
    from citysafe.hazards.services.deadlines import HAZARD_DEADLINES
    from citysafe.monitoring.demo.build import build_monitoring_demo
    from citysafe.notifications.models import Notification
    from citysafe.risks.demo import build_risk_demo
    from citysafe.risks.gatherings.demo import build_gathering_demo
    from citysafe.siting.underground_demo import seed_underground_samples

    queued = (set(Notification.objects.values_list("pk", flat=True)), set(DBTaskResult.objects.values_list("pk", flat=True)))
    admin = User.objects.get(username="admin")
    build_risk_demo()
    seed_roads(admin)
    seed_resources(admin)
    seed_incidents(admin)
    build_monitoring_demo(admin, per_type=1, verbose=lambda *a: None)
    build_hazard_demo(total=40)  # hazards in every state of the loop, reports (the scope matrices' records)
    run_sweep(HAZARD_DEADLINES)  # the demo's overdue hazards are escalated now: later sweeps start from zero

    build_gathering_demo()  # large gatherings and the county public security bureau (dept_gaj)
    seed_warnings(admin, publish=False)
    seed_accidents(admin, per_year=8, years=2)
    seed_underground_samples(admin)  # underground lines and tunnels in two townships (siting)
    from citysafe.construction.demo import build_construction_demo

    build_construction_demo(townships=2)  # projects, works and permits in two townships (the matrices)
    from citysafe.enforcement.demo import build_enforcement_demo

    build_enforcement_demo()  # inspection records and cases (awaiting approval, investigating: no laws loaded here)
    from citysafe.credit.demo import build_credit_demo

    build_credit_demo(admin)  # list entries in every state, policies, claims, agencies (the credit kinds' matrices)
    if apps.is_installed("tests.kindapp"):
        from tests.kindapp.seed import seed_hydrants

        seed_hydrants(admin)
    # The demos' notifications (and their delivery jobs) are left out of the session database:
    # the outbox tests start from an empty queue.
    Notification.objects.exclude(pk__in=queued[0]).delete()
    DBTaskResult.objects.exclude(pk__in=queued[1]).delete()


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def transactional_world(transactional_db):
    from citysafe.registry.models import Area

    if not Area.objects.exists() and not SeededCopy.restore():
        _reseed_data_migrations()
        build_county(DemoSize.small(), password=DEMO_PASSWORD)
        _seed_test_kinds()
    return World()


def _reseed_data_migrations():
    """A transactional test's flush also empties the rows data migrations wrote (the system
    account, the risk standards tables and substances, the default alarm rules): put them back
    before the demo is rebuilt (the seeds are idempotent)."""
    import importlib

    from django.apps import apps

    from citysafe.accounts.models import User

    if not User.objects.filter(username="system").exists():
        importlib.import_module("citysafe.accounts.migrations.0004_system_user").create_system_user(apps, None)
    for module in ("citysafe.risks.migrations.0002_seed_standards", "citysafe.risks.migrations.0003_seed_substances",
                   "citysafe.monitoring.migrations.0003_default_rules", "citysafe.monitoring.migrations.0005_offline_rule",
                   "citysafe.assessment.migrations.0002_seed_targets_and_city_items",
                   "citysafe.assessment.migrations.0004_city_item_basis",
                   "citysafe.siting.migrations.0002_seed_rules",
                   "citysafe.siting.migrations.0004_seed_catalogue",
                   "citysafe.construction.migrations.0002_seed_standards",
                   "citysafe.enforcement.migrations.0002_seed_holidays"):
        importlib.import_module(module).seed(apps, None)  # the seeds only write rows through the models
