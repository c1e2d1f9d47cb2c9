"""User accounts are managed by admins only, through audited services; the password hash
never reaches the audit trail. The configuration admin uses the same services."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from citysafe.accounts.models import User
from citysafe.accounts.services import create_user, set_user_active, set_user_password, update_user
from citysafe.core.audit_models import AuditChannel, AuditRecord
from citysafe.core.roles import Role

PASSWORD = "Another-2026!"


def _audits(user):
    return AuditRecord.objects.filter(object_type="accounts.User", object_id=str(user.pk)).order_by("id")


def test_admin_creates_a_grid_worker_and_the_audit_holds_no_password_hash(world):
    user = create_user(world.admin, {"username": "grid_new", "role": Role.GRID, "grid_ids": [world.grid.pk],
                                     "organisation_id": world.township_officer.organisation_id}, password=PASSWORD)
    assert list(user.grids.values_list("pk", flat=True)) == [world.grid.pk]
    assert user.check_password(PASSWORD)
    audit = _audits(user).get()
    assert audit.action == "create" and audit.actor == world.admin
    assert "password" not in audit.after and user.password not in str(audit.after)
    assert audit.after["grids"] == [world.grid.pk]


@pytest.mark.parametrize("role", ["leader", "department", "township", "grid", "enterprise"])
def test_only_admins_manage_accounts(world, role):
    actor = world.role_users()[role]
    with pytest.raises(PermissionDenied):
        create_user(actor, {"username": "x", "role": Role.LEADER}, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        update_user(actor, world.grid_worker.pk, {"role": Role.ADMIN})
    with pytest.raises(PermissionDenied):
        set_user_password(actor, world.grid_worker.pk, PASSWORD)
    world.grid_worker.refresh_from_db()
    assert world.grid_worker.role == Role.GRID


def test_bad_account_data_names_each_field_and_stores_nothing(world):
    with pytest.raises(ValidationError) as caught:
        create_user(world.admin, {"username": world.grid_worker.username.upper(), "role": Role.GRID},
                    password=PASSWORD)
    assert {"username", "grid_ids"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        create_user(world.admin, {"username": "bad name!", "role": "chief", "email": "not-mail"}, password=PASSWORD)
    assert {"username", "role", "email"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        update_user(world.admin, world.grid_worker.pk, {"role": Role.DEPARTMENT, "organisation_id": None})
    assert "organisation_id" in caught.value.message_dict
    world.grid_worker.refresh_from_db()
    assert world.grid_worker.role == Role.GRID and not _audits(world.grid_worker).exists()


def test_deactivating_is_audited_and_admins_cannot_lock_themselves_out(world):
    set_user_active(world.admin, world.grid_worker.pk, False)
    world.grid_worker.refresh_from_db()
    audit = _audits(world.grid_worker).get()
    assert not world.grid_worker.is_active
    assert audit.before["is_active"] is True and audit.after["is_active"] is False
    with pytest.raises(ValidationError):
        set_user_active(world.admin, world.admin.pk, False)
    with pytest.raises(ValidationError):
        update_user(world.admin, world.admin.pk, {"role": Role.LEADER})
    world.admin.refresh_from_db()
    assert world.admin.is_active and world.admin.role == Role.ADMIN


def test_admin_site_changes_users_through_the_services(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "dept_new", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD,
        "role": Role.DEPARTMENT, "organisation": world.department.organisation_id,
    })
    assert response.status_code == 302
    created = User.objects.get(username="dept_new")
    assert created.role == Role.DEPARTMENT and created.check_password(PASSWORD)
    assert _audits(created).get().channel == AuditChannel.ADMIN

    client.post(reverse("admin:accounts_user_changelist"),
                {"action": "deactivate_selected", "_selected_action": [created.pk]})
    created.refresh_from_db()
    assert not created.is_active
    assert list(_audits(created).values_list("action", flat=True)) == ["create", "update"]

    response = client.post(reverse("admin:auth_user_password_change", args=[created.pk]),
                           {"usable_password": "true", "password1": "Third-2026!x", "password2": "Third-2026!x"})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.check_password("Third-2026!x")
    audit = _audits(created).last()
    assert audit.action == "set_password" and audit.channel == AuditChannel.ADMIN and audit.after is None


def test_admin_site_refuses_a_grid_worker_without_grids(client, world):
    client.force_login(world.admin)
    client.post(reverse("admin:accounts_user_add"), {
        "username": "grid_nogrid", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD,
        "role": Role.GRID,
    })
    assert not User.objects.filter(username="grid_nogrid").exists()
