"""/api/v1/knowledge: documents, articles, search, citations, cases and Q&A.

Reads are open without sign-in and show published documents only (signed-in admins also see
unpublished ones); writes are for administrators (Q&A answers also for departments), through
the services. Thin: parse, call one selector or service, return."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from citysafe.core.kinds.schemas import ErrorOut
from citysafe.knowledge import case_workbook, selectors
from citysafe.knowledge.citations import find_citations_in
from citysafe.knowledge.models import Article, Synonym
from citysafe.knowledge.reading import max_bytes
from citysafe.knowledge.schemas import (
    AnswerIn,
    ArticleOut,
    CaseIn,
    CaseOut,
    CitationOut,
    DocumentOut,
    DocumentPatch,
    HitOut,
    ImportOut,
    KindIn,
    QuestionIn,
    QuestionOut,
    ResolveIn,
    SearchOut,
    StatusIn,
    SynonymIn,
    SynonymOut,
)
from citysafe.knowledge.services import cases as case_services
from citysafe.knowledge.services import documents as document_services
from citysafe.knowledge.services import questions as question_services
from citysafe.knowledge.services import synonyms as synonym_services

router = Router(tags=["knowledge"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PUBLIC = None  # auth=None: anonymous readers see published documents only (selectors)


def _document(document) -> dict:
    data = DocumentOut.from_orm(document).dict()
    data["url"] = selectors.document_url(document)
    return data


def _article(article: Article) -> dict:
    return {"id": article.pk, "document_id": article.document_id, "key": article.key, "label": article.label,
            "heading_path": article.heading_path, "text": article.text, "reference": article.reference,
            "url": selectors.article_url(article)}


class DocumentQuery(Schema):
    kind: KindIn | None = None
    status: StatusIn | None = None
    include_old_versions: bool = False


@router.get("/documents", response={200: list[DocumentOut], **ERRORS}, auth=PUBLIC, operation_id="list_documents")
def list_documents(request, query: Query[DocumentQuery]):
    rows = selectors.readable_documents(request.user).order_by("kind", "short_title", "-version_date")
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.status:
        rows = rows.filter(status=query.status)
    if not query.include_old_versions:
        rows = rows.filter(is_current=True)
    return [_document(d) for d in rows[:1000]]


@router.get("/documents/{pk}", response={200: DocumentOut, **ERRORS}, auth=PUBLIC, operation_id="get_document")
def get_document(request, pk: int):
    return _document(selectors.get_document(request.user, pk))


@router.get("/documents/{pk}/articles", response={200: list[ArticleOut], **ERRORS}, auth=PUBLIC,
            operation_id="list_document_articles")
def list_document_articles(request, pk: int):
    document = selectors.get_document(request.user, pk)
    return [_article(a) for a in document.articles.select_related("document").order_by("position")]


@router.get("/articles/{pk}", response={200: ArticleOut, **ERRORS}, auth=PUBLIC, operation_id="get_article")
def get_article(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("document"), pk=pk,
                                document__in=selectors.readable_documents(request.user))
    return _article(article)


class SearchQuery(Schema):
    q: str
    kind: list[KindIn] = []
    issuer: str = ""
    status: list[StatusIn] = []
    limit: int = 20
    offset: int = 0


@router.get("/search", response={200: SearchOut, **ERRORS}, auth=PUBLIC, operation_id="search_articles")
def search(request, query: Query[SearchQuery]):
    result = selectors.search_articles(request.user, query.q[:200], kinds=query.kind, issuer=query.issuer,
                                       statuses=query.status, limit=query.limit, offset=query.offset)
    return {"items": [HitOut(article=_article(h.article), score=h.score, snippet_html=str(h.snippet))
                      for h in result.hits], "has_more": result.has_more}


@router.post("/citations/resolve", response={200: list[CitationOut], **ERRORS}, auth=PUBLIC,
             operation_id="resolve_citations", summary="every citation in a text, resolved or marked unresolved")
def resolve_citations(request, body: ResolveIn):
    return [{"text": c.text, "resolved": c.is_resolved, "reference": c.reference, "url": c.url, "reason": c.reason,
             "article_id": c.article.pk if c.article else None} for c in find_citations_in(body.text)]


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, auth=PUBLIC, operation_id="list_cases")
def list_cases(request):
    return [_case(c) for c in selectors.cases(request.user).filter(document__is_current=True)[:1000]]


def _case(case) -> dict:
    return {"document_id": case.document_id, "title": case.document.title, "occurred_on": case.occurred_on,
            "place": case.place, "industry": case.industry, "accident_type": case.accident_type,
            "deaths": case.deaths, "injuries": case.injuries, "direct_loss": case.direct_loss,
            "violated": case.violated, "is_synthetic": case.document.is_synthetic,
            "url": selectors.document_url(case.document)}


@router.get("/faq", response={200: list[QuestionOut], **ERRORS}, auth=PUBLIC, operation_id="list_faq")
def list_faq(request):
    return list(selectors.published_questions()[:500])


# ---- writes -------------------------------------------------------------------------------

@router.post("/documents/import", response={201: ImportOut, **ERRORS}, operation_id="import_document",
             summary="import a law or county document (Markdown, text or .docx); all or nothing")
def import_document(request, file: UploadedFile = File(...), kind: str = Form(""), issuer: str = Form(""),
                    short_title: str = Form("")):
    report = document_services.import_document(request.auth, file.name or "upload", file.read(max_bytes() + 1),
                                               kind=kind, issuer=issuer, short_title=short_title)
    if not report.ok:
        return 422, {"detail": [{"loc": ["body", "file"], "msg": m, "type": "invalid_document"}
                                for m in report.errors]}
    return 201, report.__dict__


@router.patch("/documents/{pk}", response={200: DocumentOut, **ERRORS}, operation_id="change_document")
def change_document(request, pk: int, body: DocumentPatch):
    return _document(document_services.change_document(request.auth, pk, **body.dict(exclude_unset=True)))


@router.post("/cases", response={201: CaseOut, **ERRORS}, operation_id="create_case")
def create_case(request, body: CaseIn):
    return 201, _case(case_services.create_case(request.auth, body.dict()))


class CaseImportOut(Schema):
    ok: bool
    created: int
    errors: list[str]


@router.get("/cases/template", response={200: None, **ERRORS}, operation_id="case_template",
            summary="the Excel template for importing accident cases")
def case_template(request):
    case_services._require_admin(request.auth)
    answer = HttpResponse(case_workbook.template_workbook(), content_type=XLSX)
    answer["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BA%8B%E6%95%85%E6%A1%88%E4%BE%8B.xlsx"
    return answer


@router.post("/cases/import", response={201: CaseImportOut, **ERRORS},
             operation_id="import_cases", summary="import accident cases from the Excel template; all or nothing")
def import_cases(request, file: UploadedFile = File(...)):
    report = case_workbook.import_cases(request.auth, file.read(case_workbook.check_limit() + 1))
    if not report.ok:
        return 422, {"detail": [{"loc": ["body", "file"], "msg": m, "type": "invalid_workbook"} for m in report.errors]}
    return 201, report.__dict__


@router.get("/synonyms", response={200: list[SynonymOut], **ERRORS}, operation_id="list_synonyms")
def list_synonyms(request):
    return list(Synonym.objects.order_by("term"))


@router.put("/synonyms", response={200: SynonymOut, **ERRORS}, operation_id="save_synonym")
def save_synonym(request, body: SynonymIn):
    return synonym_services.save_synonym(request.auth, body.term, body.expansion, body.note)


@router.post("/questions", response={201: QuestionOut, **ERRORS, 429: ErrorOut}, operation_id="ask_question",
             summary="ask a question (signed in; the public uses the page form with its CAPTCHA)")
def ask_question(request, body: QuestionIn):
    try:
        asked = question_services.ask_question(request.META.get("REMOTE_ADDR", ""), **body.dict())
    except question_services.RateLimited:
        return 429, {"detail": [{"loc": ["body"], "msg": _("提问过于频繁，请一小时后再试"), "type": "rate_limited"}]}
    return 201, asked


@router.post("/questions/{pk}/answer", response={200: QuestionOut, **ERRORS}, operation_id="answer_question")
def answer_question(request, pk: int, body: AnswerIn):
    return question_services.answer_question(request.auth, pk, **body.dict())
