"""Public pages (no sign-in): search, documents with their table of contents, versions and
changes, accident cases and their statistics, the citation redirect. Anonymous visitors see
published documents only (selectors.readable_documents)."""
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citysafe.knowledge import selectors
from citysafe.knowledge.citations import resolve_citation
from citysafe.knowledge.forms import SearchForm
from citysafe.knowledge.models import AccidentCase, Document
from citysafe.knowledge.versions import compare, versions_of

PAGE_SIZE = 20


def search(request):
    form = SearchForm(request.GET or None)
    result, page = None, 1
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        page = data["page"] or 1
        result = selectors.search_articles(
            request.user, data["q"], kinds=[data["kind"]] if data["kind"] else [], issuer=data["issuer"],
            statuses=[data["status"]] if data["status"] else [], limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "knowledge/search.html", {
        "form": form, "result": result, "page": page, "start": (page - 1) * PAGE_SIZE + 1,
        "issuers": selectors.issuers(request.user)})


def documents(request):
    rows = selectors.readable_documents(request.user).filter(is_current=True).exclude(
        kind=Document.Kind.ACCIDENT_CASE).annotate(article_count=Count("articles")).order_by("kind", "short_title")
    groups = {}
    for document in rows:
        groups.setdefault(document.get_kind_display(), []).append(document)
    return render(request, "knowledge/documents.html", {"groups": groups})


def document(request, pk: int):
    doc = selectors.get_document(request.user, pk)
    if doc.kind == Document.Kind.ACCIDENT_CASE:
        return redirect("knowledge:case", pk=doc.pk)
    divisions = list(doc.divisions.order_by("position"))
    articles = list(doc.articles.select_related("division").order_by("position"))
    by_division = {}
    for article in articles:
        by_division.setdefault(article.division_id, []).append(article)
    return render(request, "knowledge/document.html", {
        "document": doc, "divisions": divisions, "loose_articles": by_division.get(None, []),
        "by_division": by_division, "versions": versions_of(doc)})


def changes(request, pk: int):
    doc = selectors.get_document(request.user, pk)
    if doc.previous is None:
        raise Http404
    return render(request, "knowledge/changes.html", {
        "document": doc, "previous": doc.previous, "changes": compare(doc.previous, doc)})


def cite(request):
    """/knowledge/cite/?ref=安全生产法 第四十一条 → the article; unresolved: a page that says why."""
    citation = resolve_citation(request.GET.get("ref", "")[:300])
    if citation.is_resolved and selectors.readable_documents(request.user).filter(
            pk=citation.article.document_id).exists():
        return redirect(citation.url)
    return render(request, "knowledge/unresolved.html", {
        "citation": citation, "reason": citation.reason or _("该文件未公开")}, status=404)


def cases(request):
    rows = selectors.cases(request.user).filter(document__is_current=True)
    accident_type = request.GET.get("type", "")
    if accident_type in dict(AccidentCase._meta.get_field("accident_type").choices):
        rows = rows.filter(accident_type=accident_type)
    return render(request, "knowledge/cases.html", {
        "cases": rows[:200], "types": AccidentCase._meta.get_field("accident_type").choices,
        "chosen": accident_type, "stats": selectors.case_statistics(request.user)})


def case(request, pk: int):
    doc = selectors.get_document(request.user, pk)
    case = AccidentCase.objects.filter(document=doc).first()
    if case is None:
        raise Http404
    return render(request, "knowledge/case.html", {
        "case": case, "document": doc, "articles": doc.articles.order_by("position")})
