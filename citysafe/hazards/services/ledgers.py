"""Hazard ledgers in Excel, in the registry's ledger style (registry/io/export.py: merged title,
borders, frozen header repeated on every page, A4 landscape, formula-safe cells): the hazard
ledger (隐患台账) of what the user sees, and an enterprise's dual lists (双清单: risk list +
hazard list) as one workbook. Read in the caller's scope; each export audited."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.hazards.models import Hazard
from citysafe.registry.io.export import BORDER, HEADER_FILL, _data_cell, _letter, _page_setup, ledger_value, unit_of
from citysafe.registry.models import Enterprise
from citysafe.risks.models import RiskPoint

HAZARD_COLUMNS = [
    (gettext_lazy("隐患编号"), 16, lambda h: h.code), (gettext_lazy("发现时间"), 16, lambda h: h.found_at),
    (gettext_lazy("来源"), 10, lambda h: h.get_source_display()), (gettext_lazy("隐患类别"), 10, lambda h: h.get_category_display()),
    (gettext_lazy("隐患描述"), 36, lambda h: h.description), (gettext_lazy("所属乡镇"), 12, lambda h: h.township.name if h.township else ""),
    (gettext_lazy("隐患等级"), 10, lambda h: h.get_grade_display()), (gettext_lazy("状态"), 12, lambda h: h.get_status_display()),
    (gettext_lazy("整改责任单位"), 20, lambda h: h.responsible_unit), (gettext_lazy("整改措施"), 30, lambda h: h.measures),
    (gettext_lazy("整改期限"), 12, lambda h: h.rectification_deadline), (gettext_lazy("已逾期"), 8, lambda h: _("是") if h.is_overdue else ""),
    (gettext_lazy("挂牌督办"), 8, lambda h: _("是") if h.is_listed else ""), (gettext_lazy("销号时间"), 16, lambda h: h.closed_at),
]
RISK_COLUMNS = [
    (gettext_lazy("风险点名称"), 24, lambda p: p.name), (gettext_lazy("风险点类型"), 10, lambda p: p.get_category_display()),
    (gettext_lazy("危险有害因素"), 30, lambda p: "、".join(p.hazard_factors or [])),
    (gettext_lazy("风险等级"), 10, lambda p: p.get_level_display()), (gettext_lazy("管控层级"), 10, lambda p: p.get_control_level_display()),
    (gettext_lazy("管控措施"), 40, lambda p: "；".join(m.description for m in p.measures.all() if m.archived_at is None)),
    (gettext_lazy("下次评估期限"), 12, lambda p: p.reassess_due),
]


def _sheet(workbook, user, name: str, title: str, columns, records) -> int:
    sheet = workbook.create_sheet(name)
    last = _letter(len(columns) - 1)
    for index, (_header, width, _value) in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = width
    _page_setup(sheet, last)
    head = WriteOnlyCell(sheet, value=title)
    head.font = Font(bold=True, size=16)
    head.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([head])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.append([ledger_value(sheet, _("导出单位：%(unit)s") % {"unit": unit_of(user)}),
                  _("导出时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}])
    header = []
    for label, _width, _value in columns:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font, cell.border, cell.fill = Font(bold=True), BORDER, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    styles, rows = {}, 0
    for record in records:
        sheet.append([_data_cell(sheet, "", value(record), styles) for _label, _width, value in columns])
        rows += 1
    return rows


def write_hazard_ledger(user, target, *, filters: dict | None = None) -> int:
    records = scope.narrow(user, Hazard.objects.filter(**(filters or {}))).select_related("township").order_by("id")
    workbook = Workbook(write_only=True)
    rows = _sheet(workbook, user, _("隐患"), _("隐患排查治理台账"), HAZARD_COLUMNS, records.iterator(chunk_size=2000))
    workbook.save(target)
    record_change(actor=user, action="export", object_type="hazards.Hazard", object_id="",
                  object_repr=_("隐患排查治理台账"), after={"resource": "hazards", "format": "xlsx", "rows": rows,
                                                       "filters": {k: str(v) for k, v in (filters or {}).items()}})
    return rows


def write_dual_lists(user, enterprise_id, target) -> int:
    """双清单 of one enterprise the user may see (404 otherwise): its risk points (attached to it or
    to its places) and its hazards, one sheet each."""
    enterprise = scope.get_in_scope(user, Enterprise.objects.all(), enterprise_id)
    points = scope.narrow(user, RiskPoint.objects.filter(owner_enterprise=enterprise)).prefetch_related(
        "measures").order_by("level", "id")
    hazards = scope.narrow(user, Hazard.objects.filter(owner_enterprise=enterprise)).select_related(
        "township").order_by("-found_at", "id")
    workbook = Workbook(write_only=True)
    rows = _sheet(workbook, user, _("风险清单"), _("%(name)s 安全风险清单") % {"name": enterprise.name}, RISK_COLUMNS,
                  points)
    rows += _sheet(workbook, user, _("隐患清单"), _("%(name)s 事故隐患清单") % {"name": enterprise.name}, HAZARD_COLUMNS,
                   hazards)
    workbook.save(target)
    record_change(actor=user, action="export", object_type="registry.Enterprise", object_id=str(enterprise.pk),
                  object_repr=_("双清单：%(name)s") % {"name": enterprise.name},
                  after={"resource": "dual-lists", "format": "xlsx", "rows": rows})
    return rows
