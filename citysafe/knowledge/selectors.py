"""Reads of the knowledge base. Signed-in users read every document (scope PUBLIC, through
core.scope.narrow); anonymous visitors only published ones (`readable_documents`)."""
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.urls import reverse

from citysafe.core import scope
from citysafe.knowledge.models import AccidentCase, Article, Document, Question, Synonym
from citysafe.knowledge.search import stats
from citysafe.knowledge.search.backends import Filters, search_ids
from citysafe.knowledge.search.highlight import snippet
from citysafe.knowledge.search.query import CompiledQuery, compile_query, loosened

MAX_RESULTS = 200
MAX_OFFSET = 1000  # deeper pages are never read; the bound keeps the candidate walk short


def sees_unpublished(user) -> bool:
    return scope.may(user, Document, scope.Action.CHANGE)


def readable_documents(user) -> QuerySet:
    documents = Document.objects.all()
    if getattr(user, "is_authenticated", False):
        documents = scope.narrow(user, documents)
    if not sees_unpublished(user):
        documents = documents.filter(is_published=True)
    return documents


def get_document(user, pk: int) -> Document:
    document = readable_documents(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def document_url(document: Document) -> str:
    if document.kind == Document.Kind.ACCIDENT_CASE:
        return reverse("knowledge:case", args=[document.pk])
    return reverse("knowledge:document", args=[document.pk])


def article_url(article: Article) -> str:
    return f"{document_url(article.document)}#{article.anchor}"


def synonym_table() -> dict[str, list[str]]:
    """term → expansions; cached (search.stats: cleared by services.synonyms in this process)."""
    def read():
        table: dict[str, list[str]] = {}
        for term, expansion in Synonym.objects.values_list("term", "expansion"):
            table.setdefault(term, []).append(expansion)
        return table
    return stats.cached((str(connection.settings_dict.get("NAME")), "synonyms"), read)


@dataclass
class Hit:
    article: Article
    score: float
    snippet: str
    url: str
    is_partial: bool = False    # found by the loosened query: not every word matched


@dataclass
class SearchResult:
    query: CompiledQuery
    hits: list[Hit]
    has_more: bool


def search_articles(user, text: str, *, kinds=(), issuer: str = "", statuses=(), document_id=None,
                    include_old_versions: bool = False, limit: int = 20, offset: int = 0) -> SearchResult:
    """Articles matching `text`, best first, with highlighted snippets and links."""
    compiled = compile_query(text or "", synonym_table())
    filters = Filters(kinds=tuple(kinds), issuer=issuer or "", statuses=tuple(statuses),
                      published_only=not sees_unpublished(user), current_only=not include_old_versions,
                      document_id=document_id)
    limit, offset = max(1, min(limit, MAX_RESULTS)), max(0, min(offset, MAX_OFFSET))
    wanted = offset + limit + 1
    ranked = _ranked(compiled, filters, wanted)
    strict = {pk for pk, _score in ranked}
    if len(ranked) < wanted and (loose := loosened(compiled)) is not None:
        ranked += [(pk, score) for pk, score in _ranked(loose, filters, wanted) if pk not in strict]
    ranked = ranked[offset:offset + limit + 1]
    ids = [pk for pk, _score in ranked]
    articles = Article.objects.select_related("document").in_bulk(ids)
    hits = [Hit(articles[pk], score, snippet(articles[pk].text, compiled.highlight), article_url(articles[pk]),
                is_partial=pk not in strict) for pk, score in ranked[:limit] if pk in articles]
    return SearchResult(compiled, hits, has_more=len(ranked) > limit)


def _ranked(compiled: CompiledQuery, filters: Filters, wanted: int) -> list[tuple[int, float]]:
    if not compiled.phrases:
        return search_ids(compiled, filters, wanted)

    def literally(ids: list[int]) -> set[int]:
        """Candidates kept only where every quoted phrase appears as written."""
        texts = Article.objects.filter(pk__in=ids).values_list("pk", "text")
        return {pk for pk, text in texts if all(p in "".join(text.split()) for p in compiled.phrases)}
    return search_ids(compiled, filters, wanted, accept=literally)


def issuers(user) -> list[str]:
    return list(readable_documents(user).exclude(issuer="").order_by("issuer")
                .values_list("issuer", flat=True).distinct())


def cases(user) -> QuerySet:
    return AccidentCase.objects.select_related("document").filter(document__in=readable_documents(user))


def case_statistics(user) -> dict:
    rows = cases(user)
    by_type = list(rows.values("accident_type").annotate(n=Count("id"), deaths=Sum("deaths"))
                   .order_by("-n", "accident_type"))
    by_year = list(rows.annotate(year=ExtractYear("occurred_on")).values("year")
                   .annotate(n=Count("id"), deaths=Sum("deaths"), injuries=Sum("injuries"), loss=Sum("direct_loss"))
                   .order_by("year"))
    labels = dict(AccidentCase._meta.get_field("accident_type").choices)
    for row in by_type:
        row["label"] = labels.get(row["accident_type"], row["accident_type"])
    return {"by_type": by_type, "by_year": by_year, "max_type": max((r["n"] for r in by_type), default=1),
            "max_year": max((r["n"] for r in by_year), default=1)}


def published_questions() -> QuerySet:
    return Question.objects.filter(status=Question.Status.PUBLISHED).order_by("-answered_at")


def open_questions(user) -> QuerySet:
    if not scope.may(user, Question, scope.Action.CHANGE):
        return Question.objects.none()
    return Question.objects.filter(~Q(status=Question.Status.PUBLISHED)).order_by("status", "-asked_at")
