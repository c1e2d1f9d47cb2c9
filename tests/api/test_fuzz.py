"""Property-based fuzz of the whole API from its own OpenAPI document (schemathesis):
whatever a client sends, the answer is never a server error.

Bounded so the run stays short: a few examples per operation, no Hypothesis deadline
(request time on a shared 2-core machine is not what is being tested).
"""
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from citysafe.accounts.services import create_api_token

# Grows with every endpoint: slow (still run by `make test`, which runs every marker).
pytestmark = pytest.mark.slow

APP = get_wsgi_application()
# Coverage phase (boundary and invalid values for every parameter) for the admin run,
# without probing undeclared HTTP methods (those are Django's 405s, not our code).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP, config=SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"unexpected-methods": []}}}))
# The township run is about scope on reads: random fuzzing only, to keep the run short.
read_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP, config=SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}}})).include(method="GET")

FUZZ = settings(max_examples=12, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])


def _token(world, user) -> str:
    _, raw = create_api_token(world.admin, name="fuzz", role=user.role, organisation_id=user.organisation_id,
                              grid_ids=list(user.grids.values_list("pk", flat=True)),
                              enterprise_id=user.enterprise_id)
    return raw


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The WSGI handler closes the database connection after each request, which would
    drop the test transaction; Django's own test client switches that off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(world):
    return _token(world, world.admin)


@pytest.fixture
def township_token(world):
    return _token(world, world.township_officer)


@schema.parametrize()
@FUZZ
def test_no_input_makes_the_api_fail_for_an_admin(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=[not_a_server_error])


@read_schema.parametrize()
@FUZZ
def test_no_input_makes_the_api_fail_for_a_township_officer(case, township_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {township_token}"}, checks=[not_a_server_error])
