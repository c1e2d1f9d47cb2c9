"""The report as a PDF (weasyprint with Noto CJK, as the risk card and incident report are)."""
import base64

from django.template.loader import render_to_string

from citysafe.dashboard.reports import charts, text


def build_pdf(report) -> bytes:
    from weasyprint import HTML  # imported late: pango loads once, only where PDFs are made

    figures = report.figures
    chart = base64.b64encode(charts.hazards_chart(figures["months"], text.chart_labels())).decode("ascii")
    html = render_to_string("dashboard/report_pdf.html", {
        "report": report, "period": text.period_label(report), "summary": text.summary(figures),
        "sections": text.sections(figures), "chart": "data:image/png;base64," + chart, "figures": figures})
    return HTML(string=html).write_pdf()
