"""Emergency records × departments: every department reads the whole county's emergency
records (scope all_rows_for), but only the emergency management bureau (应急管理局, the demo's
dept_yjj; settings.EMERGENCY_WRITING_DEPARTMENTS) writes them. Another department (教育局) gets
403 on create, change, archive and transitions, through the API and the pages, whatever the
record; the bureau changes any of them."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from citysafe.core import scope
from citysafe.core.kinds import all_kinds, get_kind
from citysafe.emergency.models import Incident
from citysafe.emergency.workflows import INCIDENT
from tests.api.test_kind_matrix import listed_ids
from tests.scope_oracle import live

KINDS = sorted(kind.key for kind in all_kinds() if kind.model._meta.app_label == "emergency")


def test_the_demo_departments_are_the_bureau_and_another_one(world):
    assert world.department.organisation.code == "yjj" and world.other_department.organisation.code != "yjj"
    assert len(KINDS) >= 10


@pytest.mark.parametrize("key", KINDS)
def test_another_department_reads_every_emergency_record_and_writes_none(world, api_as, client, key):
    kind, user = get_kind(key), world.other_department
    records = list(live(kind.model).order_by("pk"))
    assert records
    api = api_as(user)
    assert sorted(listed_ids(api, key)) == [o.pk for o in records]
    for action in (scope.Action.CREATE, scope.Action.CHANGE, scope.Action.ARCHIVE):
        assert not scope.may(user, kind.model, action)
    for obj in records[:1] + records[-1:]:
        assert api.get(f"{key}/{obj.pk}").status_code == 200
        assert api.patch(f"{key}/{obj.pk}", {"version": obj.version}).status_code == 403
        assert api.delete(f"{key}/{obj.pk}").status_code == 403
        before = obj.version
        obj.refresh_from_db()
        assert obj.archived_at is None and obj.version == before
    client.force_login(user)
    assert client.get(reverse(f"{kind.namespace}:list", args=[key])).context["may_create"] is False
    assert client.get(reverse(f"{kind.namespace}:create", args=[key])).status_code == 403


@pytest.mark.parametrize("key", KINDS)
def test_the_emergency_bureau_changes_any_emergency_record(world, api_as, key):
    kind, user = get_kind(key), world.department
    for action in (scope.Action.CREATE, scope.Action.CHANGE, scope.Action.ARCHIVE):
        assert scope.may(user, kind.model, action)
    obj = live(kind.model).order_by("pk").last()
    response = api_as(user).patch(f"{key}/{obj.pk}", {"version": obj.version})
    assert response.status_code == 200, response.content


def test_only_the_bureau_is_offered_and_may_take_incident_transitions(world):
    incident = Incident.objects.filter(status=Incident.Status.REPORTED).order_by("pk").first()
    assert INCIDENT.available(world.department, incident)
    assert INCIDENT.available(world.other_department, incident) == []
    with pytest.raises(PermissionDenied):
        INCIDENT.apply(world.other_department, Incident, incident.pk, "respond", expected_version=incident.version)
    assert INCIDENT.apply(world.department, Incident, incident.pk, "respond",
                          expected_version=incident.version).status == Incident.Status.RESPONDING
