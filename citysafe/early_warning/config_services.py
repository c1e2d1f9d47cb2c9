"""Configuration the county office keeps: who approves which level, and the CAP sources to
fetch. Admin only, audited, through the admin site (admin.py saves through these)."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.roles import Role
from citysafe.core.validation import field_error
from citysafe.early_warning.models import ApprovalRule, CapSource
from citysafe.registry.counties import county_for_write, county_rows_q


def _require_admin(actor) -> None:
    if not scope.may_configure(actor):
        raise PermissionDenied(_("只有县安委办管理员可以修改此配置"))


@transaction.atomic
def set_approvers(actor, level: int, roles: list[str], county_id=None) -> ApprovalRule:
    """The roles that may approve a level (at least one; known roles only) in the actor's county
    (each county keeps its own rules; a user of several counties names one of its own)."""
    _require_admin(actor)
    roles = list(dict.fromkeys(roles or []))
    if not roles or not set(roles) <= {Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.PREFECTURE}:
        raise field_error("roles", _("可审批角色只能是 leader、admin、department 中的一个或多个"), "roles")
    county = county_for_write(actor, county_id)
    county_pk = county.pk if county is not None else None
    # The county's own rule, or (the home county) the rule kept from before there were counties.
    rule = (ApprovalRule.objects.select_for_update().filter(level=level).filter(county_rows_q(county_pk))
            .order_by(F("county").asc(nulls_last=True)).first())
    if rule is None:
        rule = ApprovalRule.objects.create(level=level, roles=roles, county=county)
    before = snapshot(rule)
    rule.roles = roles
    rule.save()
    record_change(actor=actor, action="update", instance=rule, before=before, after=snapshot(rule))
    return rule


@transaction.atomic
def save_cap_source(actor, source: CapSource) -> CapSource:
    """A new source belongs to the actor's county; an existing one is changed only by its
    county's admin (another county's: as if it did not exist)."""
    _require_admin(actor)
    if not source.url.startswith(("http://", "https://")):
        raise field_error("url", _("地址必须以http://或https://开头"), "url")
    if source.pk:
        stored = scope.narrow(actor, CapSource.objects.select_for_update()).filter(pk=source.pk).first()
        if stored is None:
            raise CapSource.DoesNotExist
        source.county_id = stored.county_id  # a source does not move to another county
        before = snapshot(stored)
    else:
        county = county_for_write(actor, source.county_id)
        source.county_id = county.pk if county is not None else None
        before = None
    source.save()
    record_change(actor=actor, action="update" if before else "create", instance=source, before=before,
                  after=snapshot(source))
    return source
