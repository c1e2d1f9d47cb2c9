"""Search behaviour beyond ranking: two-character words, phrases, filters, snippets, upkeep."""
from django.contrib.auth.models import AnonymousUser

from citysafe.knowledge.models import Article, Document
from citysafe.knowledge.selectors import search_articles
from citysafe.knowledge.services.documents import change_document, import_document
from citysafe.knowledge.services.synonyms import save_synonym

ANYONE = AnonymousUser()
TRAP = """某县测试规定
第一条 取消防范措施的，应当报告。
第二条 单位应当配置消防器材，保持消防设施完好。
第三条 <script>alert(1)</script> 燃气管道应当定期巡查。
"""


def refs(query, user=ANYONE, **filters):
    return [hit.article.reference for hit in search_articles(user, query, limit=50, **filters).hits
            if not hit.is_partial]


def test_a_two_character_word_is_not_found_across_a_word_boundary(laws):
    import_document(laws.admin, "trap.txt", TRAP.encode())
    found = refs("消防", document_id=Document.objects.get(short_title="某县测试规定").pk)
    # 取消防范 holds the characters 消防 but not the word: a trigram index or LIKE finds it
    assert found == ["某县测试规定 第二条"]


def test_a_phrase_must_appear_as_written(laws):
    loose = refs("重大 隐患")
    phrase = refs('"重大事故隐患"')
    assert phrase and set(phrase) <= set(refs("重大事故隐患"))
    for hit in search_articles(ANYONE, '"重大事故隐患"', limit=50).hits:
        assert "重大事故隐患" in "".join(hit.article.text.split())
    assert len(loose) >= len(phrase)


def test_filters_by_kind_issuer_and_validity(laws):
    assert refs("燃气", kinds=["law"]) and all(
        not r.startswith("城镇燃气管理条例") for r in refs("燃气", kinds=["law"]))
    assert all(r.startswith(("城镇燃气管理条例", "危险化学品", "特种设备安全监察", "民用爆炸", "烟花爆竹", "建设工程",
                             "生产安全事故", "地质灾害", "气象灾害", "大型群众", "安全生产许可证", "破坏性地震", "防汛",
                             "国务院关于"))
               for r in refs("燃气", issuer="国务院"))
    gas = Document.objects.get(short_title="城镇燃气管理条例")
    change_document(laws.admin, gas.pk, status="repealed")
    assert not any(r.startswith("城镇燃气管理条例") for r in refs("燃气", statuses=["valid"]))
    assert refs("燃气", statuses=["repealed"])[0].startswith("城镇燃气管理条例")


def test_snippets_escape_html_and_mark_the_terms(laws):
    import_document(laws.admin, "trap.txt", TRAP.encode())
    hit = search_articles(ANYONE, "燃气管道 巡查", document_id=Document.objects.get(short_title="某县测试规定").pk,
                          limit=1).hits[0]
    assert "&lt;script&gt;" in hit.snippet and "<script>" not in hit.snippet
    assert "<mark>燃气管道</mark>" in hit.snippet or "<mark>燃气</mark>" in hit.snippet
    assert hit.url.endswith("#art-3")


def test_synonyms_expand_the_query_and_are_editable(laws):
    assert "安全生产法 第四十一条" in refs("安法 隐患排查")[:3]
    assert refs("燃规 气源") == [] or not refs("燃规 气源")[0].startswith("城镇燃气管理条例 第九条")
    save_synonym(laws.admin, "燃规", "燃气发展规划")
    assert "城镇燃气管理条例 第九条" in refs("燃规 气源")[:3]


def test_unpublished_documents_are_found_by_admins_only(laws):
    gas = Document.objects.get(short_title="城镇燃气管理条例")
    change_document(laws.admin, gas.pk, is_published=False)
    assert not any(r.startswith("城镇燃气管理条例") for r in refs("燃气"))
    assert not any(r.startswith("城镇燃气管理条例") for r in refs("燃气", user=laws.township_officer))
    assert any(r.startswith("城镇燃气管理条例") for r in refs("燃气", user=laws.admin))


def test_the_index_follows_new_versions(laws):
    import_document(laws.admin, "rule.txt", "某县规定\n第一条 旧的条文写着蓝色标志。\n".encode())
    assert refs("蓝色标志") == ["某县规定 第一条"]
    import_document(laws.admin, "rule.txt", "某县规定\n第一条 新的条文写着红色标志。\n".encode())
    assert refs("蓝色标志") == [] and refs("红色标志") == ["某县规定 第一条"]
    assert len(refs("蓝色标志", include_old_versions=True)) == 1
    assert Article.objects.filter(document__short_title="某县规定").count() == 2
