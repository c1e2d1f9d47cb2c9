"""Two counties built once per test module, for the path matrices (tests/security/test_county_paths*.py).

The seeding is the one of test_county_matrix.py (its `two` fixture: ids noted, then the second
county loaded, so a row is the second county's exactly when its id is above the noted one),
but done once per module inside a transaction that is rolled back when the module ends; each
test runs in a savepoint inside it (pytest-django's `db`), so tests still cannot see each
other's writes. Hand-written because pytest-django has no module-scoped database fixture.

`markers(two, of_b)` are strings only one county's data holds (its townships' and enterprises'
names and its enterprises' credit codes): a page or document of the other county's user that
contains one of them shows that county's data.
"""
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from citysafe.hazards.demo_counties import seed_second_county_hazards
from citysafe.monitoring.models import Sensor
from citysafe.registry.demo.second_county import build_second_county, ensure_prefecture
from citysafe.registry.models import Area, Enterprise
from conftest import DEMO_PASSWORD
from tests.security.test_county_matrix import ROLES, TwoCounties, _users, scoped_models

__all__ = ["ROLES", "Pair", "body_of", "found_markers", "fresh", "markers", "second_county_gas_sensor", "two", "two_counties"]


@dataclass
class Pair(TwoCounties):
    """`TwoCounties` and what a test made in the first county after the cut (its ids lie above
    the cut too): label -> ids; `audit_start`: the first audit id after the second county came."""

    made_a: dict = field(default_factory=dict)
    audit_start: int = 0

    def is_b_row(self, label: str, pk: int) -> bool:
        return pk > self.before[label] and pk not in self.made_a.get(label, set())

    def made_in_a(self, obj) -> None:
        self.made_a.setdefault(obj._meta.label, set()).add(obj.pk)


def _build() -> "Pair":
    from citysafe.accounts.models import User
    from citysafe.core.audit_models import AuditRecord

    ensure_prefecture(DEMO_PASSWORD)
    before = {}
    for model in scoped_models():
        last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        before[model._meta.label] = last or 0
    build_second_county(DEMO_PASSWORD)
    seed_second_county_hazards()
    township_a = Area.objects.filter(level="township", county__code="622926").order_by("code")[0]
    a = {"admin": _users(username="admin"), "leader": _users(username="leader"),
         "department": _users(username="dept_yjj"),
         "township": User.objects.filter(role="township", organisation__area=township_a).get(),
         "grid": User.objects.filter(role="grid", grids__township=township_a).order_by("username")[0],
         "enterprise": User.objects.filter(role="enterprise").exclude(username__startswith="gh_").order_by("username")[0]}
    b = {"admin": _users(username="gh_admin"), "leader": _users(username="gh_leader"),
         "department": _users(username="gh_dept_yjj"), "township": _users(username="gh_township_01"),
         "grid": _users(username="gh_grid_01"), "enterprise": _users(username="gh_ent_01")}
    audit_start = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return Pair(before, a, b, _users(username="pref_admin"), audit_start=audit_start)


@pytest.fixture(scope="module")
def two_counties(django_db_setup, django_db_blocker):
    """The two counties, once per module (rolled back at its end)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture
def two(two_counties, db):
    """The module's two counties, in this test's savepoint (what it made in county A forgotten after)."""
    two_counties.made_a = {}
    return two_counties


def users_of(two: TwoCounties, of_b: bool) -> dict:
    return two.b if of_b else two.a


def fresh(user):
    """The user read again (scope caches its counties, grids and industries on the object)."""
    return _users(pk=user.pk)


def markers(two: TwoCounties, of_b: bool) -> set[str]:
    """Strings only this county's data holds."""
    cut = two.before["registry.Enterprise"]
    enterprises = Enterprise.objects.filter(pk__gt=cut) if of_b else Enterprise.objects.filter(pk__lte=cut)
    area_cut = two.before["registry.Area"]
    townships = Area.objects.filter(level="township")
    townships = townships.filter(pk__gt=area_cut) if of_b else townships.filter(pk__lte=area_cut)
    found = set(townships.values_list("name", flat=True))
    for name, uscc in enterprises.values_list("name", "uscc"):
        found.add(name)
        if uscc:
            found.add(uscc)
    other = set()  # a name both counties use (a town called 城关镇 in each) proves nothing
    other_townships = Area.objects.filter(level="township").exclude(pk__in=townships.values("pk"))
    other |= set(other_townships.values_list("name", flat=True))
    return {m for m in found if m and len(m) >= 3 and m not in other}


def body_of(response) -> str:
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    try:
        return body.decode()
    except UnicodeDecodeError:
        return ""


def found_markers(text: str, marks: set[str]) -> list[str]:
    return sorted(m for m in marks if m in text)[:5]


def second_county_gas_sensor(code: str) -> Sensor:
    """A copy of the first demo gas sensor (with its alarm rules, which go by sensor type) under
    `code`, placed at the first enterprise of the second county (622924)."""
    sensor = Sensor.objects.filter(sensor_type="gas").order_by("id").first()
    enterprise = Enterprise.objects.filter(township__county__code="622924").order_by("pk").first()
    sensor.pk = sensor.id = None
    sensor.place_id = sensor.risk_point_id = sensor.installation_id = sensor.gateway_id = None
    sensor.code = code
    sensor.township_id, sensor.grid_id = enterprise.township_id, enterprise.grid_id
    sensor.enterprise_id, sensor.industry_id = enterprise.pk, enterprise.industry_id
    sensor.lon, sensor.lat = enterprise.lon, enterprise.lat
    sensor.save()
    return sensor
