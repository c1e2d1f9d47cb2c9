import pytest
from django.core.exceptions import PermissionDenied

from citysafe.core import scope
from citysafe.registry.models import Area, Enterprise, Person, Place


def test_township_officer_sees_only_its_township(world):
    visible = scope.narrow(world.township_officer, Enterprise.objects.all())
    assert visible.exists()
    assert set(visible.values_list("township_id", flat=True)) == {world.township_a.pk}


def test_grid_worker_sees_only_its_grids(world):
    visible = set(scope.narrow(world.grid_worker, Place.objects.all()).values_list("pk", flat=True))
    in_its_grid = set(Place.objects.filter(grid=world.grid, archived_at__isnull=True).values_list("pk", flat=True))
    assert in_its_grid and visible == in_its_grid


def test_department_sees_its_industries_across_the_county(world):
    industries = set(world.department.organisation.industries.values_list("pk", flat=True))
    visible = scope.narrow(world.department, Enterprise.objects.all())
    assert set(visible.values_list("pk", flat=True)) == set(Enterprise.objects.filter(
        industry__in=industries, archived_at__isnull=True).values_list("pk", flat=True))
    assert visible.values("township_id").distinct().count() > 1


def test_enterprise_officer_sees_only_its_enterprise(world):
    visible = scope.narrow(world.enterprise_officer, Enterprise.objects.all())
    assert list(visible.values_list("pk", flat=True)) == [world.enterprise.pk]


def test_leader_reads_all_but_cannot_write(world):
    assert scope.narrow(world.leader, Enterprise.objects.all()).count() == Enterprise.objects.count()
    with pytest.raises(PermissionDenied):
        scope.require(world.leader, Enterprise, scope.Action.CHANGE)


@pytest.mark.parametrize("model", [Area, Enterprise, Person, Place])
def test_contains_agrees_with_the_queryset_filter(world, model):
    for user in world.role_users().values():
        visible = set(scope.narrow(user, model.objects.all()).values_list("pk", flat=True))
        for obj in model.objects.all()[:200]:
            assert scope.contains(user, obj) == (obj.pk in visible), (user.username, model.__name__, obj.pk)


def test_archived_records_are_hidden_except_for_admins_who_ask(world):
    ent = world.enterprise_in_a
    Enterprise.objects.filter(pk=ent.pk).update(archived_at="2026-01-01T00:00:00Z")
    assert not scope.narrow(world.township_officer, Enterprise.objects.filter(pk=ent.pk)).exists()
    assert not scope.narrow(world.admin, Enterprise.objects.filter(pk=ent.pk)).exists()
    assert scope.narrow(world.admin, Enterprise.objects.filter(pk=ent.pk), include_archived=True).exists()


def test_an_app_registers_the_permissions_of_its_own_record_kinds(world):
    """Permissions and field limits are tables the apps fill in ready(): the registry's are
    there, and a new kind's registration takes effect without editing core.scope."""
    from django.core.exceptions import ImproperlyConfigured

    from citysafe.core.roles import Role

    assert scope.may(world.township_officer, Enterprise, scope.Action.CREATE)  # registered by the registry
    label = "testapp.Inspection"
    scope.register_permissions(label, {scope.Action.CREATE: {Role.GRID}, scope.Action.CHANGE: {Role.GRID}})
    scope.register_field_limits(label, {Role.GRID: scope.FieldLimit(change=frozenset({"note"}))})
    try:
        assert scope.may(world.grid_worker, label, scope.Action.CREATE)
        assert not scope.may(world.township_officer, label, scope.Action.CREATE)
        assert scope.changeable_fields(world.grid_worker, label) == {"note"}
        with pytest.raises(ImproperlyConfigured):  # a second, different table for the same kind
            scope.register_permissions(label, {scope.Action.CREATE: {Role.ADMIN}})
        with pytest.raises(ImproperlyConfigured):  # not a role
            scope.register_permissions("testapp.Other", {scope.Action.CREATE: {"superuser"}})
    finally:
        scope.WRITE_PERMISSIONS.pop(label, None)
        scope.FIELD_LIMITS.pop(label, None)
