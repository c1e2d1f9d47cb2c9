"""The incident's closing summary report as a PDF (reportlab).

Chinese text uses reportlab's built-in Adobe CID font STSong-Light (Adobe-GB1): the system's
Noto CJK fonts are OpenType/CFF collections, which reportlab cannot embed, and a CID font needs
no font file on the server; PDF readers render it with their own Song typeface."""
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from citysafe.emergency import selectors

FONT = "STSong-Light"


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _p(text, style):
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def incident_report_pdf(user, incident) -> bytes:
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    local = timezone.localtime
    rows = [
        (_("事件编号"), incident.code), (_("事件类型"), incident.get_incident_type_display()),
        (_("事件级别"), incident.get_severity_display()), (_("状态"), incident.get_status_display()),
        (_("所属乡镇"), incident.township.name), (_("地点"), f"{incident.address} ({incident.lon:.5f}, {incident.lat:.5f})"),
        (_("发生时间"), local(incident.occurred_at).strftime("%Y-%m-%d %H:%M") if incident.occurred_at else ""),
        (_("伤亡"), _("死亡%(d)s人，受伤%(i)s人，失踪%(m)s人") % {"d": incident.deaths, "i": incident.injuries,
                                                        "m": incident.missing}),
    ]
    story = [_p(_("突发事件处置总结报告"), title), _p(incident.title, heading)]
    table = Table([[_p(k, body), _p(v, body)] for k, v in rows], colWidths=[35 * mm, 135 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [table, _p(_("事件概况"), heading), _p(incident.description or "—", body),
              _p(_("调度指令"), heading)]
    dispatch_rows = [[_p(_("时间"), body), _p(_("类型"), body), _p(_("内容"), body), _p(_("状态"), body)]]
    for d in incident.dispatches.select_related("team", "material"):
        what = d.team.name if d.team_id else (f"{d.material.name} {d.quantity:g}{d.material.unit}"
                                              if d.material_id else d.task)
        dispatch_rows.append([_p(local(d.ordered_at).strftime("%m-%d %H:%M"), body), _p(d.get_kind_display(), body),
                              _p(what, body), _p(d.get_status_display(), body)])
    dispatches = Table(dispatch_rows, colWidths=[25 * mm, 25 * mm, 95 * mm, 25 * mm])
    dispatches.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    story += [dispatches, _p(_("处置经过"), heading)]
    story.append(_p(f"{local(incident.created_at):%Y-%m-%d %H:%M} " + _("事件上报"), body))
    for entry in incident.logs.select_related("actor"):
        story.append(_p(f"{local(entry.at):%Y-%m-%d %H:%M} {entry.text}", body))
    plans = selectors.matching_plans(user, incident)
    story += [_p(_("启用的应急预案"), heading), _p("；".join(p.name for p in plans) or "—", body),
              _p(_("处置总结"), heading), _p(incident.summary or _("（尚未结束）"), body), Spacer(1, 10 * mm),
              _p(_("生成时间：%(t)s") % {"t": local(timezone.now()).strftime("%Y-%m-%d %H:%M")}, body)]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=incident.title, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=18 * mm, bottomMargin=18 * mm).build(story)
    return buffer.getvalue()
