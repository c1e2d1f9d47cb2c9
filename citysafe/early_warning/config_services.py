"""Configuration the county office keeps: who approves which level, and the CAP sources to
fetch. Admin only, audited, through the admin site (admin.py saves through these)."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.roles import Role
from citysafe.core.validation import field_error
from citysafe.early_warning.models import ApprovalRule, CapSource


def _require_admin(actor) -> None:
    if not scope.may_configure(actor):
        raise PermissionDenied(_("只有县安委办管理员可以修改此配置"))


@transaction.atomic
def set_approvers(actor, level: int, roles: list[str]) -> ApprovalRule:
    """The roles that may approve a level (at least one; known roles only)."""
    _require_admin(actor)
    roles = list(dict.fromkeys(roles or []))
    if not roles or not set(roles) <= {Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.PREFECTURE}:
        raise field_error("roles", _("可审批角色只能是 leader、admin、department 中的一个或多个"), "roles")
    rule, _created = ApprovalRule.objects.select_for_update().get_or_create(level=level, defaults={"roles": roles})
    before = snapshot(rule)
    rule.roles = roles
    rule.save()
    record_change(actor=actor, action="update", instance=rule, before=before, after=snapshot(rule))
    return rule


@transaction.atomic
def save_cap_source(actor, source: CapSource) -> CapSource:
    _require_admin(actor)
    if not source.url.startswith(("http://", "https://")):
        raise field_error("url", _("地址必须以http://或https://开头"), "url")
    before = snapshot(CapSource.objects.get(pk=source.pk)) if source.pk else None
    source.save()
    record_change(actor=actor, action="update" if before else "create", instance=source, before=before,
                  after=snapshot(source))
    return source
