"""The conflict ledger (安全距离冲突台账) in Excel, in the hazard ledger's style (the hazards app's
sheet writer: merged title, borders, frozen header, A4 landscape, formula-safe cells). Read in the
caller's scope; each export audited."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from citysafe.core.audit import record_change
from citysafe.hazards.services.ledgers import _sheet
from citysafe.siting.selectors import conflicts_for

COLUMNS = [
    (gettext_lazy("危险源"), 26, lambda c: c.hazardous_name),
    (gettext_lazy("危险源类别"), 14, lambda c: c.get_hazardous_kind_display()),
    (gettext_lazy("敏感目标"), 26, lambda c: c.sensitive_name),
    (gettext_lazy("敏感目标类别"), 14, lambda c: c.get_sensitive_kind_display()),
    (gettext_lazy("实测距离（米）"), 10, lambda c: round(c.distance_m, 1)),
    (gettext_lazy("规定距离（米）"), 10, lambda c: c.required_m),
    (gettext_lazy("差距（米）"), 10, lambda c: round(c.shortfall_m, 1)),
    (gettext_lazy("依据"), 30, lambda c: f"{c.rule.standard} {c.rule.clause}"),
    (gettext_lazy("所属乡镇"), 12, lambda c: c.township.name if c.township else ""),
    (gettext_lazy("行业"), 14, lambda c: c.industry.name if c.industry else ""),
    (gettext_lazy("处置状态"), 12, lambda c: c.get_status_display()),
    (gettext_lazy("隐患编号"), 16, lambda c: c.hazard.code if c.hazard else ""),
    (gettext_lazy("认可理由"), 24, lambda c: c.accepted_reason),
    (gettext_lazy("批准人"), 10, lambda c: c.approver),
]


def write_conflict_ledger(user, target, *, filters: dict | None = None) -> int:
    workbook = Workbook(write_only=True)
    rows = _sheet(workbook, user, _("安全距离冲突"), _("安全距离冲突台账"), COLUMNS,
                  conflicts_for(user, filters).order_by("township__code", "id").iterator(chunk_size=2000))
    workbook.save(target)
    record_change(actor=user, action="export", object_type="siting.Conflict", object_id="",
                  object_repr=_("安全距离冲突台账"), after={"resource": "conflicts", "format": "xlsx", "rows": rows,
                                                         "filters": {k: str(v) for k, v in (filters or {}).items()}})
    return rows


MATCH_COLUMNS = [
    (gettext_lazy("所属乡镇"), 12, lambda m: m.township.name),
    (gettext_lazy("企业"), 28, lambda m: m.enterprise.name),
    (gettext_lazy("行业"), 14, lambda m: m.industry.name if m.industry else ""),
    (gettext_lazy("类别"), 8, lambda m: m.item.get_category_display()),
    (gettext_lazy("目录条目"), 30, lambda m: m.item.name),
    (gettext_lazy("匹配依据"), 20, lambda m: m.matched_by),
    (gettext_lazy("依据文件"), 30, lambda m: f"{m.item.source_document} {m.item.clause}".strip()),
    (gettext_lazy("处置要求"), 10, lambda m: m.get_action_display()),
    (gettext_lazy("整改期限"), 12, lambda m: m.deadline.isoformat()),
    (gettext_lazy("经营状态"), 12, lambda m: m.enterprise.get_operating_status_display()),
    (gettext_lazy("处置状态"), 10, lambda m: m.get_status_display()),
]


def write_match_ledger(user, target, *, filters: dict | None = None) -> int:
    """The restricted / obsolete industry match list (限制淘汰类产业台账), per township."""
    from citysafe.siting.selectors import catalogue_matches_for

    workbook = Workbook(write_only=True)
    rows = _sheet(workbook, user, _("限制淘汰类产业"), _("限制淘汰类产业企业台账"), MATCH_COLUMNS,
                  catalogue_matches_for(user, filters).order_by("township__code", "deadline", "id")
                  .iterator(chunk_size=2000))
    workbook.save(target)
    record_change(actor=user, action="export", object_type="siting.CatalogueMatch", object_id="",
                  object_repr=_("限制淘汰类产业企业台账"), after={"resource": "catalogue-matches", "format": "xlsx",
                                                           "rows": rows,
                                                           "filters": {k: str(v) for k, v in (filters or {}).items()}})
    return rows
