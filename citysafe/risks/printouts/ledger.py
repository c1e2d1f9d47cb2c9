"""The risk list (风险清单) as an Excel ledger per enterprise, township or county, in the
registry's ledger style: the same helpers (registry.io.export: page set-up with the frozen,
repeated header and A4 landscape, bordered data cells, formula-safe values, the exporting
unit), a merged centred title. Rows are the risk points the user may list (core.scope);
persons as "姓名（电话）" (core.masking: phones full, ID numbers never in this ledger)."""
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from citysafe.core import masking, scope
from citysafe.core.audit import record_change
from citysafe.registry.io.export import BORDER, HEADER_FILL, _data_cell, _letter, _page_setup, ledger_value, unit_of
from citysafe.registry.models import Area, Enterprise
from citysafe.risks.models import AccidentType, Assessment, ControlMeasure, RiskPoint

# (header, width)
COLUMNS = (
    (_("序号"), 6), (_("风险点名称"), 24), (_("风险点类型"), 10), (_("所属企业/场所/区域"), 24), (_("乡镇"), 12),
    (_("网格"), 14), (_("行业"), 14), (_("危险有害因素"), 28), (_("可能导致的事故类型"), 18), (_("评估方法"), 16),
    (_("风险值"), 8), (_("风险等级"), 10), (_("管控层级"), 10), (_("管控措施"), 44), (_("责任人"), 20),
    (_("最近评估日期"), 12), (_("下次评估期限"), 12),
)


def ledger_scope(user, *, enterprise_id=None, township_id=None):
    """(queryset, subject name) — 404 when the enterprise or township is outside the user's scope."""
    points = scope.narrow(user, RiskPoint.objects.all())
    if enterprise_id:
        enterprise = scope.get_in_scope(user, Enterprise.objects.all(), enterprise_id)
        return points.filter(owner_enterprise=enterprise), enterprise.name
    if township_id:
        township = scope.get_in_scope(user, Area.objects.filter(level=Area.Level.TOWNSHIP), township_id)
        return points.filter(township=township), township.name
    if user.role == "township" and user.organisation and user.organisation.area_id:
        return points, user.organisation.area.name
    if user.role == "enterprise" and user.enterprise_id:
        return points, user.enterprise.name
    county = Area.objects.filter(level=Area.Level.COUNTY).order_by("id").first()
    return points, county.name if county else ""


def _rows(user, queryset):
    measures = Prefetch("measures", queryset=scope.narrow(user, ControlMeasure.objects.select_related(
        "responsible_person")).order_by("kind", "id"))
    accepted = Prefetch("assessments", queryset=Assessment.objects.filter(status=Assessment.Status.ACCEPTED)
                        .order_by("-assessed_on", "-id"), to_attr="accepted")
    types = dict(AccidentType.choices)
    points = (queryset.select_related("enterprise", "place", "area", "township", "grid", "industry")
              .prefetch_related(measures, accepted, "responsible_persons").order_by("township__code", "id"))
    for n, point in enumerate(points, start=1):
        last = point.accepted[0] if point.accepted else None
        parent = point.parent
        persons = [_person(user, p) for p in point.responsible_persons.all()]
        yield [
            n, point.name, point.get_category_display(),
            str(parent) if parent is not None and scope.may_read_related(user, parent) else "",
            point.township.name if point.township_id else "", point.grid.name if point.grid_id else "",
            point.industry.name if point.industry_id else "", "；".join(point.hazard_factors or []),
            "、".join(str(types.get(t, t)) for t in point.accident_types or []),
            last.get_method_display() if last else "", last.score if last and last.score is not None else None,
            point.get_level_display(), point.get_control_level_display(),
            "\n".join(f"{m.get_kind_display()}：{m.description}" for m in point.measures.all()),
            "、".join(p for p in persons if p), point.assessed_on, point.reassess_due,
        ]


def _person(user, person) -> str:
    if not scope.may_read_related(user, person):
        return ""
    return f"{person.name}（{person.phone}）" if person.phone else person.name


def write_risk_list(user, target, *, enterprise_id=None, township_id=None) -> tuple[int, str]:
    """Write the ledger to `target` (path or binary file); returns (rows, title). Audited."""
    queryset, subject = ledger_scope(user, enterprise_id=enterprise_id, township_id=township_id)
    title_text = _("%(subject)s风险清单") % {"subject": subject}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("风险清单"))
    last = _letter(len(COLUMNS) - 1)
    for index, (_header, width) in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(index)].width = width
    _page_setup(sheet, last)
    title = WriteOnlyCell(sheet, value=title_text)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    sheet.append([title])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.append([ledger_value(sheet, _("导出单位：%(unit)s") % {"unit": unit_of(user)}),
                  _("导出时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}])
    header = []
    for text, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font, cell.border, cell.fill = Font(bold=True), BORDER, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    styles: dict = {}
    rows = 0
    for values in _rows(user, queryset):
        sheet.append([_data_cell(sheet, str(n), value, styles) for n, value in enumerate(values)])
        rows += 1
    workbook.save(target)
    record_change(actor=user, action="export", object_type="risks.RiskPoint", object_id="", object_repr=title_text,
                  after={"resource": "risk-list", "format": "xlsx", "rows": rows,
                         "filters": {"enterprise": enterprise_id, "township": township_id},
                         "id_numbers": "full" if masking.sees_full_id_numbers(user) else "masked"})
    return rows, title_text
