"""Publishing the public risk map (风险公告, C7 "risk information published"): the county safety
office publishes or withdraws it and marks single risk points and installations sensitive.
Who may: the permission table (risks.RiskMapPublication in risks/permissions.py: the county
office's admins); one transaction, audited (core.audit), like every state change."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import ErrorCollector, open_for_change, save_record
from citysafe.core.validation import text_message, text_problem
from citysafe.registry.counties import county_for_write, county_rows_q
from citysafe.risks.models import MajorHazardInstallation, RiskMapPublication, RiskPoint

SENSITIVE_MODELS = {"risk-points": RiskPoint, "hazard-installations": MajorHazardInstallation}


def latest_publication(county_id: int | None = None) -> RiskMapPublication | None:
    """The county's latest publish or withdraw row (None: the home county's)."""
    return (RiskMapPublication.objects.filter(county_rows_q(county_id))
            .order_by("-published_at", "-id").first())


def may_publish(actor) -> bool:
    return scope.may(actor, RiskMapPublication, scope.Action.CREATE)


def _require_admin(actor) -> None:
    if not may_publish(actor):
        raise PermissionDenied(_("只有县安委办管理员可以发布或撤回公开风险图"))


@transaction.atomic
def publish_risk_map(actor, *, published: bool, hide_installations: bool = True, hide_enterprise_names: bool = True,
                     hide_gatherings: bool = False, note: str = "", county_id=None) -> RiskMapPublication:
    _require_admin(actor)
    errors = ErrorCollector()
    note = (note or "").strip()
    if len(note) > 300:
        errors.add("note", _("说明不能超过300个字符"), "max_length")
    elif note and text_problem(note):
        errors.add("note", text_message(text_problem(note)), "text_characters")
    errors.raise_if_any()
    # Each county publishes its own map: the actor's county (a user of several names one).
    county = county_for_write(actor, county_id)
    county_pk = county.pk if county is not None else None
    before = latest_publication(county_pk)
    row = RiskMapPublication.objects.create(
        is_published=bool(published), hide_installations=bool(hide_installations),
        hide_enterprise_names=bool(hide_enterprise_names), hide_gatherings=bool(hide_gatherings), note=note,
        published_by=actor, county=county)
    record_change(actor=actor, action="publish_risk_map" if published else "withdraw_risk_map", instance=row,
                  before=snapshot(before) if before else None, after=snapshot(row))
    return row


@transaction.atomic
def mark_sensitive(actor, resource: str, pk, sensitive: bool):
    """Leave one risk point or major hazard installation out of the public map (or put it back)."""
    _require_admin(actor)
    model = SENSITIVE_MODELS.get(resource)
    if model is None:
        raise PermissionDenied(_("该类记录不能标记为敏感"))
    data = {"is_sensitive": bool(sensitive)}
    record = open_for_change(actor, model, pk, data)
    before = snapshot(record)
    record.is_sensitive = bool(sensitive)
    return save_record(actor, record, action="mark_sensitive" if sensitive else "unmark_sensitive", before=before)
