"""Authentication for pages and the API.

Pages: passwords through Django's model backend, except service accounts, which exist
only to hold API tokens for other government systems and must never get a page session.
API: a session (with CSRF on unsafe methods) or `Authorization: Bearer <token>`.
"""
from datetime import timedelta

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from citysafe.accounts.models import ApiToken
from citysafe.core.audit import set_channel
from citysafe.core.audit_models import AuditChannel

# Writing last_used_at on every request would turn each read into a write; once a minute
# is enough to tell an operator whether a token is still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class PageLoginBackend(ModelBackend):
    """Model backend that refuses service accounts (they log in with tokens only)."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_service_account", False)


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer cs_…`: only the SHA-256 digest is looked up."""

    def authenticate(self, request, token: str):
        # A presented token that does not work is a 401 even if a session cookie is also
        # sent: another system must learn that its token was revoked or has expired.
        if not token:
            raise AuthenticationError()
        found = (
            ApiToken.objects.select_related("user", "user__organisation", "user__enterprise")
            .filter(digest=ApiToken.digest_of(token))
            .first()
        )
        if found is None or not found.is_active or not found.user.is_active:
            raise AuthenticationError()
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        # The middleware already marks /api/ requests; saying it here keeps the channel right
        # even if the API is mounted elsewhere.
        set_channel(AuditChannel.API)
        return found.user


class PageSessionAuth(SessionAuth):
    """Session cookie with CSRF on unsafe methods; never for a service account."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or getattr(user, "is_service_account", False):
            return None
        return user


api_token_auth = ApiTokenAuth()
session_auth = PageSessionAuth()


def changers_of(model, key: str = "record_id") -> list:
    """The API's authentication (token, session) for an app's endpoint that writes the record
    of `model` whose id is the path's `key` (a workflow step): the role and the record's write scope are checked
    before the body is read (core.kinds.api.change_check), so a caller who may not change it
    gets 403/404, never a 422 about the body."""
    from citysafe.core.kinds.api import change_check, checked

    return [checked(callback, change_check(model, key)) for callback in (api_token_auth, session_auth)]
