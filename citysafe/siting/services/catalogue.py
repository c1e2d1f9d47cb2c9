"""The restricted / obsolete industry catalogue (限制类/淘汰类, policy 二(六), C6): writes of its
items (core.records: role, field limits, version, audit) and the matching of enterprises to it.

Matching: an active item matches an active enterprise when the item's industry (if set) is the
enterprise's and one of its keywords (if any) occurs in the enterprise's declared text. The
registry holds no business-scope or process field yet, so the declared text is the enterprise
name (e.g. "…洋芋淀粉加工厂"); `declared_text` is the one place to extend when it gains one.
A saved item re-matches at once (the whole registry, one query per table: a county's few
thousand enterprises × tens of items); a saved enterprise re-matches after its commit (hooks.py)."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core.audit import record_change, snapshot
from citysafe.core.records import ErrorCollector, open_for_change, open_for_create, save_record
from citysafe.registry.models import Enterprise
from citysafe.registry.services.fields import apply_fields, require_fields
from citysafe.siting.models import CatalogueMatch, MatchStatus, RequiredAction, RestrictedIndustryItem

FIELDS = {"category", "item_kind", "name", "keywords", "industry_id", "source_document", "clause", "action",
          "default_deadline_days", "note"}
MAX_DEADLINE_DAYS = 3650
S = Enterprise.OperatingStatus


def _check(item: RestrictedIndustryItem, errors: ErrorCollector) -> None:
    days = item.default_deadline_days
    if days is not None and not 1 <= days <= MAX_DEADLINE_DAYS:
        errors.add("default_deadline_days", _("默认整改期限：须为1至%(max)s天") % {"max": MAX_DEADLINE_DAYS}, "range")
    if not item.industry_id and not item.keyword_list():
        errors.add("keywords", _("关键词：未指定行业时必须填写关键词，否则条目会匹配所有企业"), "required")


@transaction.atomic
def create_item(actor, data: dict) -> RestrictedIndustryItem:
    item, errors = open_for_create(actor, RestrictedIndustryItem, data), ErrorCollector()
    require_fields(data, ["category", "item_kind", "name", "source_document", "action"], errors)
    apply_fields(item, data, FIELDS, errors, actor=actor)
    if not errors.errors:
        _check(item, errors)
    errors.raise_if_any()
    item = save_record(actor, item, action="create", before=None)
    rematch(note=f"siting.RestrictedIndustryItem:{item.pk}")
    return item


@transaction.atomic
def update_item(actor, pk, data: dict, *, expected_version: int | None = None) -> RestrictedIndustryItem:
    item = open_for_change(actor, RestrictedIndustryItem, pk, data, expected_version=expected_version)
    before, errors = snapshot(item), ErrorCollector()
    apply_fields(item, data, FIELDS, errors, actor=actor)
    if not errors.errors:
        _check(item, errors)
    errors.raise_if_any()
    item = save_record(actor, item, action="update", before=before)
    rematch(note=f"siting.RestrictedIndustryItem:{item.pk}")
    return item


def declared_text(enterprise: Enterprise) -> str:
    return enterprise.name


def match_reason(item: RestrictedIndustryItem, enterprise: Enterprise) -> str | None:
    """Why `enterprise` matches `item` ("行业：…；关键词：…"), or None."""
    if item.industry_id and item.industry_id != enterprise.industry_id:
        return None
    keywords = item.keyword_list()
    text = declared_text(enterprise)
    hit = next((k for k in keywords if k in text), None)
    if keywords and hit is None:
        return None
    parts = [_("行业：%(name)s") % {"name": enterprise.industry.name}] if item.industry_id else []
    if hit:
        parts.append(_("关键词：%(k)s") % {"k": hit})
    return "；".join(parts)


def status_for(action: str, operating_status: str) -> str:
    """The match follows the registry's operating-status workflow (relocation / closure)."""
    if operating_status == S.CLOSED or (operating_status == S.RELOCATED and action == RequiredAction.RELOCATE):
        return MatchStatus.DONE
    if operating_status in (S.RELOCATING, S.SUSPENDED, S.RELOCATED):
        return MatchStatus.IN_PROGRESS
    return MatchStatus.PENDING


@transaction.atomic
def rematch(note: str = "") -> dict:
    """Every active enterprise against every active item; a pair that no longer matches is kept
    with is_current=False. The deadline runs from the day the pair was first found."""
    today = timezone.localdate()
    items = list(RestrictedIndustryItem.objects.filter(archived_at__isnull=True))
    enterprises = list(Enterprise.objects.filter(archived_at__isnull=True).select_related("industry"))
    existing = {(m.enterprise_id, m.item_id): m for m in CatalogueMatch.objects.select_for_update()}
    seen, created, updated = set(), [], []
    for enterprise in enterprises:
        for item in items:
            reason = match_reason(item, enterprise)
            if reason is None:
                continue
            key = (enterprise.pk, item.pk)
            seen.add(key)
            row = existing.get(key) or CatalogueMatch(enterprise=enterprise, item=item, found_on=today)
            if row.pk and not row.is_current:
                row.found_on = today  # matched again after a gap: a new deadline
            row.matched_by, row.action = reason[:200], item.action
            row.deadline = row.found_on + timedelta(days=item.default_deadline_days)
            row.status = status_for(item.action, enterprise.operating_status)
            row.township_id, row.grid_id, row.industry_id = enterprise.township_id, enterprise.grid_id, enterprise.industry_id
            row.is_current = True
            (updated if row.pk else created).append(row)
    CatalogueMatch.objects.bulk_create(created, batch_size=1000)
    if updated:
        CatalogueMatch.objects.bulk_update(updated, ["matched_by", "action", "found_on", "deadline", "status", "township",
                                                     "grid", "industry", "is_current"], batch_size=1000)
    gone = [m.pk for key, m in existing.items() if key not in seen and m.is_current]
    CatalogueMatch.objects.filter(pk__in=gone).update(is_current=False)
    counts = {"current": len(seen), "new": len(created), "resolved": len(gone)}
    record_change(actor=None, action="rematch_catalogue", object_type="siting.CatalogueMatch", object_id="*",
                  object_repr=_("限制淘汰类产业重新匹配"), after=counts, note=note[:200])
    return counts
