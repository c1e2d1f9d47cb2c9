"""The apps' workflow-step endpoints (POST …/{id}/transitions) check, before they read the
body, what the workflow engine checks when it opens the record for change: a role that may not
change such records gets 403, a record outside the caller's write scope 404, whatever the body
(an empty or invalid one included); the 422 about the body is only for those who may change
that record (accounts.auth.changers_of). The risk assessments' and warnings' steps, the alarm
actions and the assessment reviews too (issue 19): a malformed or huge body from a caller who
may not take the step, or whose record lies outside its scope, gets 403/404, not 422."""
import pytest

from citysafe.assessment.models import UnitResult
from citysafe.construction.kinds import PERMITS, WORKS
from citysafe.core import scope
from citysafe.credit.models import ListEntry
from citysafe.early_warning.kinds import WARNINGS
from citysafe.emergency.api import INCIDENTS
from citysafe.enforcement.kinds import CASES
from citysafe.hazards.kinds import HAZARDS
from citysafe.monitoring.models import Alarm
from citysafe.registry.kinds import ENTERPRISES
from citysafe.risks.models import Assessment, RiskPoint
from tests.scope_oracle import live, split

STEPS = {"hazards": HAZARDS.model, "enterprises": ENTERPRISES.model, "incidents": INCIDENTS.model,
         "cases": CASES.model, "high-danger-works": WORKS.model, "work-permits": PERMITS.model,
         "credit/entries": ListEntry, "assessments": Assessment, "warnings": WARNINGS.model,
         "appraisal/results": UnitResult,
         # appraisal/county-results (the prefecture's step) has the same check; this one-county world has none
         **{f"monitoring/alarms/{{}}/{action}": Alarm for action in ("acknowledge", "clear", "close", "assign", "hazard")}}
BAD_BODIES = [{}, {"transition": ["x"], "expected_version": "x", "no_such_field": [1, 2]},
              {"name": "x" * 1000, "version": -1, "note": "长" * 200_000, "assignee_id": "x"}]  # huge


def _url(prefix, pk) -> str:
    return prefix.format(pk) if "{}" in prefix else f"{prefix}/{pk}/transitions"


def _may_change(user, model) -> bool:
    return scope.may(user, model, scope.Action.CHANGE)


def _made(model, world) -> None:
    """The small test county has no alarm and no assessment result: make one of each (an alarm on
    a sensor of the first township, results for the townships), so these steps are walked too."""
    from django.utils import timezone

    from citysafe.accounts.models import Organisation
    from citysafe.assessment.models import IndicatorSystem
    from citysafe.monitoring.models import AlarmRule, Sensor

    if model is Alarm and not live(Alarm).exists():
        sensor = Sensor.objects.filter(township=world.township_a).order_by("id").first()
        rule = AlarmRule.objects.create(name="步骤测试", kind=AlarmRule._meta.get_field("kind").choices[0][0],
                                        sensor=sensor, level1=1.0)
        now = timezone.now()
        Alarm.objects.create(sensor=sensor, rule=rule, level=1, peak_level=1, value=2.0, started_at=now,
                             last_at=now, entered_at=now)
    if model is UnitResult and not live(UnitResult).exists():
        system = IndicatorSystem.objects.create(year=2021, unit_kind="township", title="步骤测试")
        UnitResult.objects.bulk_create(UnitResult(system=system, organisation=o) for o in Organisation.objects.filter(
            kind="township", area__isnull=False))


def _record(model, world=None):
    if world is not None:
        _made(model, world)
    record = live(model).first()
    if record is None:
        pytest.skip(f"the test world has no {model.__name__}")
    return record


@pytest.mark.parametrize("prefix", sorted(STEPS))
def test_a_role_that_may_not_change_gets_403_for_an_empty_or_invalid_step(world, api_as, prefix):
    model = STEPS[prefix]
    record = _record(model, world)
    for user in [u for u in world.role_users().values() if not _may_change(u, model)]:
        for body in BAD_BODIES:
            response = api_as(user).post(_url(prefix, record.pk), body)
            assert response.status_code == 403, (user.role, body, response.content[:300])
            assert response.json()["detail"][0]["type"] == "forbidden"


@pytest.mark.parametrize("prefix", sorted(STEPS))
def test_a_record_outside_the_callers_scope_is_404_for_an_empty_or_invalid_step(world, api_as, prefix):
    model = STEPS[prefix]
    _record(model, world)
    for user in [u for u in world.role_users().values() if _may_change(u, model)]:
        for record in split(user, model)[1][:1]:
            for body in BAD_BODIES:
                response = api_as(user).post(_url(prefix, record.pk), body)
                assert response.status_code == 404, (user.role, body, response.content[:300])


@pytest.mark.parametrize("prefix", sorted(STEPS))
def test_who_may_change_the_record_still_gets_422_naming_the_bad_fields(world, api_as, prefix):
    model = STEPS[prefix]
    record = _record(model, world)
    # A body wrong for every step (the conversion to a hazard needs nothing but an optional note).
    response = api_as(world.admin).post(_url(prefix, record.pk), {"note": ["not text"]})
    assert response.status_code == 422, response.content
    assert all(item["loc"][0] == "body" for item in response.json()["detail"])


def test_the_step_refusals_are_not_vacuous(world):
    users = world.role_users().values()
    assert live(HAZARDS.model).exists() and live(ENTERPRISES.model).exists()
    for model in (HAZARDS.model, ENTERPRISES.model):
        assert any(not _may_change(u, model) for u in users)
        assert any(_may_change(u, model) and split(u, model)[1] for u in users)


def test_assessing_a_risk_point_checks_the_point_and_the_role_before_the_body(world, api_as):
    point = _record(RiskPoint)
    users = world.role_users().values()
    forbidden = [u for u in users if not scope.may(u, Assessment, scope.Action.CREATE)]
    assert forbidden
    for user in forbidden:
        inside, outside = split(user, RiskPoint)
        for record, status in [(r, 403) for r in inside[:1]] + [(r, 404) for r in outside[:1]]:
            for body in BAD_BODIES:
                response = api_as(user).post(f"risk-points/{record.pk}/assessments", body)
                assert response.status_code == status, (user.role, body, response.content[:300])
    response = api_as(world.admin).post(f"risk-points/{point.pk}/assessments", {"no_such_field": 1})
    assert response.status_code == 422, response.content


def test_revising_a_warning_checks_the_role_and_the_warning_before_the_body(world, api_as):
    record = _record(WARNINGS.model)
    for user in [u for u in world.role_users().values() if not scope.may(u, WARNINGS.model, scope.Action.CREATE)]:
        for body in BAD_BODIES:
            response = api_as(user).post(f"warnings/{record.pk}/revisions", body)
            assert response.status_code == 403, (user.role, body, response.content[:300])
