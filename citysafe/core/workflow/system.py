"""The system actor: the user scheduled jobs (deadline escalation) and sensors (alarms)
act as, so their transitions are authorised, scoped and audited like anyone else's.

A dedicated account created by a data migration (accounts 0004): username `system`, shown
as 系统, role admin (county-wide scope), a service account with no usable password, so it
cannot sign in to the pages and never holds a session. Its changes are audited with the
channel "system" (`as_system` sets it).
"""
from contextlib import contextmanager

from django.contrib.auth import get_user_model

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel

SYSTEM_USERNAME = "system"


def system_actor():
    """The system account (created by migration; raises DoesNotExist if it was removed)."""
    return get_user_model().objects.get(username=SYSTEM_USERNAME, is_service_account=True)


def is_system_actor(user) -> bool:
    return bool(getattr(user, "is_service_account", False) and getattr(user, "username", "") == SYSTEM_USERNAME)


@contextmanager
def as_system():
    """`with as_system() as actor:` — the system account, with changes audited as channel system."""
    with audit_channel(AuditChannel.SYSTEM):
        yield system_actor()
