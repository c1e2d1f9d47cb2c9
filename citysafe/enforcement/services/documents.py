"""The case's documents as PDFs (weasyprint, as risks/printouts and hazards/services/documents:
HTML/CSS laid out with the Noto CJK fonts) and the e-case file (电子卷宗): every document the case
has reached plus its evidence list, merged with pypdf behind an index page. Each document cites
its articles as stored references, rendered through the knowledge app's citations."""
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change
from citysafe.core.workflow import TransitionError
from citysafe.enforcement.models import Case, Evidence, Penalty

ISSUER = "东乡族自治县应急管理局"
# Articles each document rests on (stored references, resolved against the shipped laws).
BASIS = {
    "opening": ("行政处罚法 第五十四条", "行政处罚法 第六十条"),
    "inspection": ("安全生产法 第六十五条", "行政处罚法 第五十五条"),
    "order": ("安全生产法 第六十五条", "安全生产法 第四十一条"),
    "notice": ("行政处罚法 第四十四条", "行政处罚法 第四十五条", "行政处罚法 第六十三条", "行政处罚法 第六十四条"),
    "decision": ("行政处罚法 第五十九条", "行政处罚法 第六十七条", "安全生产法 第七十八条"),
}
DOCUMENTS = {
    "opening": _("立案审批表"),
    "inspection": _("现场检查记录"),
    "order": _("责令限期整改指令书"),
    "notice": _("行政处罚告知书"),
    "decision": _("行政处罚决定书"),
}


def available_documents(case: Case) -> list[tuple[str, str]]:
    """(key, title) of the documents the case has reached, in file order."""
    reached = ["opening"]
    if case.inspection_id:
        reached.append("inspection")
    if case.opened_on:
        reached.append("order")
    if case.notified_on:
        reached.append("notice")
    if case.decided_on:
        reached.append("decision")
    return [(key, str(DOCUMENTS[key])) for key in reached]


def _excerpt(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def _citations(references) -> list:
    from citysafe.knowledge.citations import resolve_citation

    rows = []
    for reference in references:
        found = resolve_citation(reference)
        rows.append({"reference": found.reference if found else reference,
                     "text": _excerpt(found.article.text) if found and found.is_resolved else "",
                     "resolved": bool(found and found.is_resolved)})
    return rows


def _html(case: Case, kind: str) -> str:
    references = list(BASIS[kind])
    if kind in ("notice", "decision") and case.penalty_basis:
        references.insert(0, case.penalty_basis)
    if case.violated_basis and kind in ("opening", "order", "notice", "decision"):
        references.insert(0, case.violated_basis)
    return render_to_string(f"enforcement/documents/{kind}.html", {
        "case": case, "title": DOCUMENTS[kind], "issuer": ISSUER, "citations": _citations(references),
        "today": timezone.localdate(), "is_fine": case.penalty == Penalty.FINE,
        "evidence": Evidence.objects.filter(case=case, archived_at__isnull=True).order_by("id"),
    })


def _case(user, pk) -> Case:
    return scope.get_in_scope(user, Case.objects.select_related("enterprise", "township", "inspection"), pk)


def _audit(user, case: Case, resource: str, title: str) -> None:
    record_change(actor=user, action="export", object_type="enforcement.Case", object_id=str(case.pk),
                  object_repr=f"{title}：{case.number or case.pk}", after={"resource": resource, "format": "pdf"})


def document_pdf(user, pk, kind: str) -> tuple[bytes, str]:
    from weasyprint import HTML

    case = _case(user, pk)
    if kind not in dict(available_documents(case)):
        raise TransitionError(_("案件尚未进行到这一步，没有%(title)s") % {"title": DOCUMENTS.get(kind, kind)})
    content = HTML(string=_html(case, kind)).write_pdf()
    _audit(user, case, kind, str(DOCUMENTS[kind]))
    return content, f"{DOCUMENTS[kind]}_{case.number or case.pk}.pdf"


def case_file_pdf(user, pk) -> tuple[bytes, str]:
    """电子卷宗: an index page (document, pages), then each document, merged with pypdf."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    case = _case(user, pk)
    parts = [(title, HTML(string=_html(case, key)).write_pdf()) for key, title in available_documents(case)]
    counts = [len(PdfReader(io.BytesIO(data)).pages) for _title, data in parts]
    index, index_pages = b"", 1
    while True:  # the index's own length shifts the page numbers it lists
        rows, page = [], index_pages + 1
        for (title, _data), count in zip(parts, counts, strict=True):
            rows.append({"title": title, "first": page, "last": page + count - 1})
            page += count
        index = HTML(string=render_to_string("enforcement/documents/index.html", {
            "case": case, "rows": rows, "issuer": ISSUER, "today": timezone.localdate(),
            "evidence": Evidence.objects.filter(case=case, archived_at__isnull=True).order_by("id")})).write_pdf()
        pages = len(PdfReader(io.BytesIO(index)).pages)
        if pages == index_pages:
            break
        index_pages = pages
    writer = PdfWriter()
    for data in [index] + [data for _title, data in parts]:
        writer.append(PdfReader(io.BytesIO(data)))
    for row in rows:
        writer.add_outline_item(title=row["title"], page_number=row["first"] - 1)
    out = io.BytesIO()
    writer.write(out)
    _audit(user, case, "case_file", str(_("电子卷宗")))
    return out.getvalue(), f"{_('电子卷宗')}_{case.number or case.pk}.pdf"
