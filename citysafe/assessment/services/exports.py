"""The accident statistics and the target progress as Excel workbooks (openpyxl, as the ranking
export) and as printable PDFs with charts (weasyprint, as the result letter; the charts are the
statistics page's matplotlib SVGs). Every export is audited like the other exports."""
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from citysafe.assessment import charts, selectors
from citysafe.assessment.models import AccidentKind
from citysafe.assessment.services.targets import status_of
from citysafe.core.audit import record_change

INDICATOR_KEYS = ("deaths_per_100m_gdp", "road_deaths_per_10k_vehicles", "fire_deaths_per_100k_people")


def _audit(user, object_type: str, resource: str, fmt: str, rows: int, **extra):
    record_change(actor=user, action="export", object_type=object_type, object_repr=resource,
                  after={"resource": resource, "format": fmt, "rows": rows, **extra})


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def statistics_data(user, year: int) -> dict:
    """What both statistics exports show: the yearly rows and the year's breakdowns, in the user's scope."""
    return {"rows": selectors.yearly(user), "year": year,
            "by_township": selectors.breakdown(user, year, "township"),
            "by_industry": selectors.breakdown(user, year, "industry")}


def statistics_workbook(user, year: int) -> tuple[bytes, str]:
    data = statistics_data(user, year)
    book = Workbook()
    sheet = book.active
    sheet.title = _("按年度")
    kinds = list(AccidentKind.choices)
    sheet.append([_("年度"), _("事故起数"), _("死亡"), _("受伤"), _("直接经济损失（万元）"),
                  *[_("%(kind)s死亡") % {"kind": label} for _k, label in kinds],
                  _("亿元GDP生产安全事故死亡率"), _("道路交通事故万车死亡率"), _("火灾十万人口死亡率")])
    for r in data["rows"]:
        sheet.append([r["year"], r["accidents"], r["deaths"], r["injuries"], r["loss"],
                      *[r["deaths_by_kind"].get(k, 0) for k, _label in kinds],
                      *[getattr(r["indicators"], key) for key in INDICATOR_KEYS]])
    for title, rows in ((_("%(year)d年按乡镇") % {"year": year}, data["by_township"]),
                        (_("%(year)d年按行业") % {"year": year}, data["by_industry"])):
        part = book.create_sheet(title)
        part.append([_("名称"), _("事故起数"), _("死亡"), _("受伤")])
        for r in rows:
            part.append([r["name"] or "—", r["n"], r["deaths"] or 0, r["injuries"] or 0])
    _audit(user, "assessment.Accident", "accident-statistics", "xlsx", len(data["rows"]), year=year)
    return _save(book), _("事故统计_%(year)d.xlsx") % {"year": year}


def statistics_pdf(user, year: int) -> tuple[bytes, str]:
    from weasyprint import HTML

    data = statistics_data(user, year)
    rows, by_township = data["rows"], data["by_township"]
    data["chart"] = charts.bars_by_year(rows, {k: str(label) for k, label in AccidentKind.choices},
                                        _("死亡人数（按年度、类别）")) if rows else ""
    data["township_chart"] = charts.horizontal_bars(
        [r["name"] or "—" for r in by_township], [r["deaths"] or 0 for r in by_township],
        _("%(year)d年死亡人数（按乡镇）") % {"year": year}) if by_township else ""
    html = render_to_string("assessment/report_statistics.html", {**data, "today": timezone.localdate()})
    content = HTML(string=html).write_pdf()
    _audit(user, "assessment.Accident", "accident-statistics", "pdf", len(rows), year=year)
    return content, _("事故统计_%(year)d.pdf") % {"year": year}


def progress_percent(target) -> float | None:
    """How far the current value is towards the target, 0–100 (at most: 100 while within the limit)."""
    if target.current_value is None:
        return None
    current, goal = float(target.current_value), float(target.target_value)
    if target.direction == target.Direction.AT_MOST:
        return 100.0 if current <= goal else round(100 * goal / current, 1) if current else 100.0
    return 100.0 if goal <= 0 else round(min(100.0, 100 * current / goal), 1)


def targets_data(user) -> list[tuple]:
    today = timezone.localdate()
    return [(t, *status_of(t, today), progress_percent(t)) for t in selectors.targets(user)]


def targets_workbook(user) -> tuple[bytes, str]:
    rows = targets_data(user)
    book = Workbook()
    sheet = book.active
    sheet.title = _("目标进展")
    sheet.append([_("目标编号"), _("目标名称"), _("政策条款"), _("指标"), _("达标方向"), _("目标值"), _("计量单位"),
                  _("当前值"), _("当前值日期"), _("完成进度（%）"), _("开始日期"), _("完成期限"), _("责任单位"),
                  _("进度计量方式"), _("状态"), _("说明")])
    colours = {"green": _("绿灯"), "yellow": _("黄灯"), "red": _("红灯")}
    for t, colour, reason, percent in rows:
        sheet.append([t.code, t.title, t.clause or _("县级自定"), t.indicator, t.get_direction_display(),
                      float(t.target_value), t.unit, float(t.current_value) if t.current_value is not None else None,
                      t.current_on, percent, t.start_on, t.deadline,
                      t.responsible_org.name if t.responsible_org else t.responsible_unit, t.get_measure_display(),
                      colours[colour], reason])
    _audit(user, "assessment.PolicyTarget", "target-progress", "xlsx", len(rows))
    return _save(book), _("政策目标进展.xlsx")


def targets_pdf(user) -> tuple[bytes, str]:
    from weasyprint import HTML

    rows = targets_data(user)
    charted = [(t, p) for t, _c, _r, p in rows if p is not None]
    chart = charts.horizontal_bars([f"{t.code} {t.title[:14]}" for t, _p in charted], [p for _t, p in charted],
                                   _("完成进度（%）")) if charted else ""
    html = render_to_string("assessment/report_targets.html", {"rows": rows, "chart": chart,
                                                               "today": timezone.localdate()})
    content = HTML(string=html).write_pdf()
    _audit(user, "assessment.PolicyTarget", "target-progress", "pdf", len(rows))
    return content, _("政策目标进展.pdf")
