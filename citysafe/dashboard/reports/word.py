"""The report as a .docx (python-docx): county offices edit it in Word before filing."""
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from citysafe.dashboard.reports import charts, text

FONT = "Noto Sans CJK SC"


def _east_asian(style, name: str = FONT) -> None:
    """Word picks CJK glyphs from the eastAsia font, which python-docx's `font.name` leaves unset."""
    style.font.name = name
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _table(document, head: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, head, strict=True):
        cell.text = value
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def build_docx(report) -> bytes:
    figures = report.figures
    document = Document()
    for name in ("Normal", "Title", "Heading 1"):
        _east_asian(document.styles[name])
    document.styles["Normal"].font.size = Pt(11)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    title = document.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(text.period_label(report) + "　" + figures["generated"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(text.summary(figures))
    for n, (heading, (head, rows)) in enumerate(text.sections(figures)):
        document.add_heading(heading, level=1)
        if n == 1:
            document.add_picture(io.BytesIO(charts.hazards_chart(figures["months"], text.chart_labels())),
                                 width=Cm(16))
        _table(document, head, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
