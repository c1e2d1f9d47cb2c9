"""API tokens: issued to service accounts by admins, stored as digests, revocable."""
import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from citysafe.accounts.models import ApiToken, User
from citysafe.accounts.services import create_api_token, revoke_api_token
from citysafe.core.audit_models import AuditRecord


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_token_is_returned_once_and_only_its_digest_is_stored(world):
    token, raw = create_api_token(world.admin, name="应急指挥平台", role="leader")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.digest, stored.prefix, stored.name} and stored.prefix == raw[:8]
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert stored.user.is_service_account and stored.user.role == "leader"
    audit = AuditRecord.objects.order_by("-id").first()
    assert audit.action == "create" and audit.object_type == "accounts.ApiToken"
    assert raw not in str(audit.after) and stored.digest not in str(audit.after)


def test_token_authenticates_with_the_service_accounts_scope(world):
    _, raw = create_api_token(world.admin, name="乡镇系统", role="township",
                              organisation_id=world.township_officer.organisation_id)
    client = Client()
    me = client.get("/api/v1/me", headers=bearer(raw)).json()
    assert me["role"] == "township" and me["is_service_account"]
    assert client.get(f"/api/v1/enterprises/{world.enterprise_in_a.pk}", headers=bearer(raw)).status_code == 200
    assert client.get(f"/api/v1/enterprises/{world.enterprise_in_b.pk}", headers=bearer(raw)).status_code == 404
    assert ApiToken.objects.get(user__username=me["username"]).last_used_at is not None


def test_revoked_expired_or_unknown_tokens_get_401(world):
    token, raw = create_api_token(world.admin, name="临时", role="leader")
    client = Client()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    revoke_api_token(world.admin, token.pk)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401
    assert AuditRecord.objects.order_by("-id").first().action == "revoke"

    token, raw = create_api_token(world.admin, name="短期", role="leader",
                                  expires_at=timezone.now() + timedelta(hours=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer("cs_not-a-token")).status_code == 401


def test_a_bad_token_is_401_even_with_a_valid_session(world):
    client = Client()
    client.force_login(world.admin)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me", headers=bearer("cs_revoked")).status_code == 401


def test_only_admins_issue_or_revoke_tokens(world):
    with pytest.raises(PermissionDenied):
        create_api_token(world.leader, name="x", role="leader")
    token, _ = create_api_token(world.admin, name="x", role="leader")
    with pytest.raises(PermissionDenied):
        revoke_api_token(world.township_officer, token.pk)
    client = Client()
    client.force_login(world.township_officer)
    assert client.get("/api/v1/tokens").status_code == 403
    assert client.post("/api/v1/tokens", {"name": "x", "role": "admin"}, content_type="application/json").status_code == 403


def test_token_area_must_fit_the_role(world):
    with pytest.raises(ValidationError) as error:
        create_api_token(world.admin, name="网格系统", role="grid")
    assert set(error.value.message_dict) == {"grid_ids"}
    with pytest.raises(ValidationError) as error:
        create_api_token(world.admin, name="乡镇", role="township", organisation_id=world.department.organisation_id)
    assert set(error.value.message_dict) == {"organisation_id"}
    with pytest.raises(ValidationError) as error:
        create_api_token(world.admin, name="", role="boss")
    assert set(error.value.message_dict) == {"name", "role"}


def test_admin_manages_tokens_through_the_api(world):
    client = Client()
    client.force_login(world.admin)
    created = client.post("/api/v1/tokens", {"name": "企业端", "role": "enterprise",
                                             "enterprise_id": world.enterprise.pk}, content_type="application/json")
    assert created.status_code == 201
    raw = created.json()["token"]
    listed = client.get("/api/v1/tokens").json()
    assert created.json()["id"] in {t["id"] for t in listed}
    assert raw not in str(listed)
    assert Client().get("/api/v1/enterprises", headers=bearer(raw)).json()["count"] == 1
    assert client.delete(f"/api/v1/tokens/{created.json()['id']}").status_code == 204
    assert Client().get("/api/v1/enterprises", headers=bearer(raw)).status_code == 401
    again = client.delete(f"/api/v1/tokens/{created.json()['id']}")
    assert again.status_code == 422


def test_service_account_cannot_log_into_pages(world):
    token, _ = create_api_token(world.admin, name="接入", role="admin")
    user = token.user
    assert not user.has_usable_password()
    # Even if someone gave it a password, the page login backend refuses it.
    user.set_password("Demo-2026!-svc")
    user.save()
    request = RequestFactory().post("/login/")
    assert authenticate(request, username=user.username, password="Demo-2026!-svc") is None
    assert authenticate(request, username="admin", password="Demo-2026!") == world.admin
    client = Client()
    # A session forged for it is not honoured by the API either.
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 401


def test_session_writes_need_csrf_but_token_writes_do_not(world):
    _, raw = create_api_token(world.admin, name="接入", role="admin")
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.admin)
    url = f"/api/v1/enterprises/{world.enterprise_in_a.pk}"
    assert session.patch(url, {"address": "无CSRF", "version": world.enterprise_in_a.version}, content_type="application/json").status_code == 403
    token_client = Client(enforce_csrf_checks=True)
    assert token_client.patch(url, {"address": "令牌", "version": world.enterprise_in_a.version}, content_type="application/json",
                              headers=bearer(raw)).status_code == 200


def test_management_commands_create_and_revoke_tokens(world):
    out = StringIO()
    call_command("create_api_token", "--actor", "admin", "--name", "县大数据中心", "--role", "leader",
                 "--expires-days", "30", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    assert token.expires_at > timezone.now() + timedelta(days=29)
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200
    call_command("revoke_api_token", str(token.pk), "--actor", "admin", stdout=StringIO())
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401
    with pytest.raises(CommandError):
        call_command("create_api_token", "--actor", "leader", "--name", "x", "--role", "leader", stdout=StringIO())
    assert not User.objects.filter(first_name="x", is_service_account=True).exists()
