"""Citations: the stable reference, the resolver, the template filters and the API."""
from django.template import Context, Template

from citysafe.knowledge.citations import citation_link, find_citations_in, resolve_citation
from citysafe.knowledge.models import Article
from tests.api.conftest import Api


def test_every_article_has_a_stable_reference(laws):
    article = Article.objects.get(document__short_title="安全生产法", document__is_current=True, key="41")
    assert article.reference == "安全生产法 第四十一条"
    assert Article.objects.get(document__short_title="东乡县推进城市安全发展实施意见", key="2.8").reference == \
        "东乡县推进城市安全发展实施意见 二（八）"


def test_typed_citations_resolve_to_the_article(laws):
    for typed in ("《安全生产法》第四十一条", "安法第41条", "安全生产法 第四十一条", "中华人民共和国安全生产法第四十一条第二款",
                  "《中华人民共和国安全生产法》第四十一条"):
        citation = resolve_citation(typed)
        assert citation.is_resolved, typed
        assert citation.reference == "安全生产法 第四十一条"
        assert citation.url.endswith("#art-41")


def test_an_article_that_does_not_exist_is_marked_unresolved_with_the_reason(laws):
    missing = resolve_citation("安全生产法第二百条")
    assert not missing.is_resolved and missing.reason == "《安全生产法》没有第二百条"
    assert resolve_citation("《刑法》第一百三十四条之一").reason == "未找到法规“刑法”"
    assert not resolve_citation("随便写的文字").is_resolved


def test_several_citations_in_one_text(laws):
    found = find_citations_in("依据《消防法》第二十八条和城镇燃气管理条例第二十七条，违反安法第999条。")
    assert [(c.reference, c.is_resolved) for c in found] == [
        ("消防法 第二十八条", True), ("城镇燃气管理条例 第二十七条", True), ("安法第999条", False)]


def test_template_filters_link_stored_references_and_mark_unresolved_ones(laws):
    html = Template("{% load knowledge %}{{ a|citation }}|{{ b|citation }}|{{ text|cite_links }}").render(Context({
        "a": "安全生产法 第四十一条", "b": "安全生产法 第九百条", "text": "<b>见</b>消防法第二十八条"}))
    first, second, third = html.split("|")
    assert first.startswith('<a class="citation" href="/knowledge/documents/') and first.endswith(
        '#art-41">安全生产法 第四十一条</a>')
    assert 'class="citation unresolved"' in second and "（未能识别）" in second
    assert third.startswith("&lt;b&gt;见&lt;/b&gt;<a class=\"citation\"")
    assert citation_link("") .startswith('<span class="citation unresolved"')


def test_the_citation_api_resolves_text_without_sign_in(laws):
    answer = Api().post("knowledge/citations/resolve", {"text": "《安全生产法》第四十一条；安法第900条"})
    assert answer.status_code == 200
    first, second = answer.json()
    assert (first["resolved"], first["reference"]) == (True, "安全生产法 第四十一条")
    assert first["url"].endswith("#art-41") and first["article_id"]
    assert (second["resolved"], second["reason"]) == (False, "《安全生产法》没有第九百条")


def test_the_cite_page_redirects_to_the_article_or_says_why_not(client, laws):
    found = client.get("/knowledge/cite/", {"ref": "安法第41条"})
    assert found.status_code == 302 and found["Location"].endswith("#art-41")
    missing = client.get("/knowledge/cite/", {"ref": "安法第900条"})
    assert missing.status_code == 404 and "《安全生产法》没有第九百条" in missing.text


def test_a_standard_is_imported_clause_by_clause_and_a_clause_is_cited_like_an_article(laws):
    from citysafe.knowledge.models import Document
    from citysafe.knowledge.selectors import search_articles
    from citysafe.knowledge.services.documents import import_document
    from kernels.tests.test_standard_text import FIRE_CODE

    report = import_document(laws.admin, "GB50016.txt", FIRE_CODE.encode())
    assert report.ok and report.counts == {"parts": 0, "chapters": 3, "sections": 2, "articles": 4}
    standard = Document.objects.get(pk=report.document_id)
    assert (standard.kind, standard.number, standard.short_title, str(standard.effective_on)) == (
        "national_standard", "GB 50016-2014", "建筑设计防火规范", "2015-05-01")
    clause = Article.objects.get(document=standard, key="5.5.17")
    assert clause.reference == "建筑设计防火规范 第5.5.17条" and clause.heading_path == "5 民用建筑 5.5 安全疏散和避难"
    for typed in ("《建筑设计防火规范》第5.5.17条", "GB 50016-2014 5.5.17", "GB 50016 第5.5.17条", clause.reference):
        citation = resolve_citation(typed)
        assert citation.is_resolved and citation.article == clause, typed
        assert citation.url.endswith("#art-5.5.17")
    assert resolve_citation("建筑设计防火规范 第9.9.9条").reason == "《建筑设计防火规范》没有第9.9.9条"
    hits = search_articles(laws.admin, "安全疏散距离", document_id=standard.pk).hits
    assert [hit.article.reference for hit in hits if not hit.is_partial] == ["建筑设计防火规范 第5.5.17条"]


def test_the_demo_standard_loads_once_and_its_clauses_resolve(laws):
    from citysafe.knowledge.demo_standards import load_demo_standards

    assert load_demo_standards(laws.admin) == 1 and load_demo_standards(laws.admin) == 0
    citation = resolve_citation("违反 GB 50016 第5.5.17条")
    assert citation.is_resolved and citation.article.document.is_synthetic
    assert citation.reference == "建筑设计防火规范 第5.5.17条"
