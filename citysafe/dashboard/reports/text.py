"""The report's words, written once for Word and PDF: title, the summary paragraph and the
tables (rows of strings, figures in Chinese number formatting)."""
from django.utils.translation import gettext as _

from kernels.chinese_numbers import format_chinese_number as cn
from kernels.chinese_numbers import format_percent

NUMERALS = "一二三四五六七八九十"


def period_label(report) -> str:
    first, last = report.period_start, report.period_end
    if report.period == "month":
        return _("%(y)s年%(m)s月") % {"y": first.year, "m": first.month}
    if report.period == "year":
        return _("%(y)s年度") % {"y": first.year}
    return _("%(a)s至%(b)s") % {"a": first.isoformat(), "b": last.isoformat()}


def summary(figures: dict) -> str:
    p, s = figures["period"], figures["state"]
    rate = format_percent(p["hazards_closed_on_time"], p["hazards_closed"])
    return _("本期共排查发现隐患%(found)s项（其中重大隐患%(major)s项），销号%(closed)s项，按期销号率%(rate)s；"
             "开展检查%(insp)s次；监测报警%(alarms)s次（一级%(a1)s次）；发布预警%(warn)s条；发生突发事件%(inc)s起。"
             "截至%(now)s，未销号隐患%(open)s项，其中逾期%(overdue)s项、重大隐患%(hmajor)s项；"
             "重大风险点%(red)s个，较大风险点%(orange)s个；重大危险源%(inst)s处。") % {
        "found": cn(p["hazards_found"]), "major": cn(p["hazards_found_major"]), "closed": cn(p["hazards_closed"]),
        "rate": rate, "insp": cn(p["inspections"]), "alarms": cn(p["alarms"]), "a1": cn(p["alarms_level1"]),
        "warn": cn(p["warnings_published"]), "inc": cn(p["incidents"]), "now": figures["generated"],
        "open": cn(s["hazards_open"]["value"]), "overdue": cn(s["hazards_overdue"]["value"]),
        "hmajor": cn(s["hazards_major"]["value"]), "red": cn(s["risk_level_1"]["value"]),
        "orange": cn(s["risk_level_2"]["value"]), "inst": cn(s["installations"]["value"])}


def state_table(figures: dict) -> tuple[list[str], list[list[str]]]:
    return [_("指标"), _("数量")], [[v["label"], cn(v["value"])] for v in figures["state"].values()]


def month_table(figures: dict) -> tuple[list[str], list[list[str]]]:
    head = [_("月份"), _("发现隐患"), _("销号隐患"), _("按期销号"), _("按期销号率")]
    return head, [[m["month"], cn(m["found"]), cn(m["closed"]), cn(m["closed_on_time"]),
                   format_percent(m["closed_on_time"], m["closed"])] for m in figures["months"]]


def ranking_table(rows: list[dict], first_column: str) -> tuple[list[str], list[list[str]]]:
    head = [_("排名"), first_column, _("未销号"), _("逾期"), _("本期销号"), _("按期销号率")]
    return head, [[str(n), r["name"], cn(r["open"]), cn(r["overdue"]), cn(r["closed"]),
                   format_percent(r["closed_on_time"], r["closed"])] for n, r in enumerate(rows, start=1)]


def chart_labels() -> dict:
    return {"found": _("发现"), "closed": _("销号"), "rate": _("按期销号率"), "title": _("隐患发现与销号（按月）")}


def sections(figures: dict) -> list[tuple[str, tuple]]:
    """(heading, table) in the order both documents print them; empty rankings left out."""
    out = [(_("当前安全态势"), state_table(figures)), (_("隐患排查治理（按月）"), month_table(figures))]
    if figures["townships"]:
        out.append((_("乡镇排名"), ranking_table(figures["townships"], _("乡镇"))))
    if figures["departments"]:
        out.append((_("行业部门排名"), ranking_table(figures["departments"], _("部门"))))
    return [(f"{NUMERALS[n]}、{heading}", table) for n, (heading, table) in enumerate(out)]
