"""Public pages and the API: readable without sign-in, published documents only; writes by admins."""
from citysafe.knowledge.models import Document
from citysafe.knowledge.services.documents import change_document
from tests.api.conftest import Api


def test_anonymous_visitors_search_and_read_a_law_with_anchors(client, laws):
    page = client.get("/knowledge/", {"q": "安法 隐患排查"})
    assert page.status_code == 200 and "<mark>" in page.text and "#art-41" in page.text
    law = Document.objects.get(short_title="安全生产法", is_current=True)
    reading = client.get(f"/knowledge/documents/{law.pk}/")
    assert reading.status_code == 200
    assert 'id="art-41"' in reading.text and "第二章 生产经营单位的安全生产保障" in reading.text
    assert reading.text.count('class="article"') == 119
    assert client.get("/knowledge/documents/").status_code == 200


def test_unpublished_documents_are_hidden_from_the_public_pages_and_api(client, laws):
    law = Document.objects.get(short_title="消防法", is_current=True)
    change_document(laws.admin, law.pk, is_published=False)
    assert client.get(f"/knowledge/documents/{law.pk}/").status_code == 404
    assert Api().get(f"knowledge/documents/{law.pk}").status_code == 404
    assert Api().get(f"knowledge/documents/{law.pk}/articles").status_code == 404
    assert Api(laws.admin).get(f"knowledge/documents/{law.pk}").status_code == 200
    listed = [d["short_title"] for d in Api().get("knowledge/documents").json()]
    assert "消防法" not in listed and "安全生产法" in listed


def test_cases_and_their_statistics_are_public(client, laws):
    page = client.get("/knowledge/cases/")
    assert page.status_code == 200 and "（演示）某商住楼电动自行车充电引发火灾事故" in page.text
    assert "演示数据" in page.text and 'id="statistics"' in page.text and "<meter" in page.text
    case = Api().get("knowledge/cases").json()[0]
    detail = client.get(case["url"])
    assert detail.status_code == 200 and "本案例为演示用合成案例" in detail.text
    assert 'class="citation" href="/knowledge/documents/' in detail.text


def test_search_api_returns_articles_with_links_and_snippets(laws):
    answer = Api().get("knowledge/search", q="消防车通道", kind="law", limit=3)
    assert answer.status_code == 200
    first = answer.json()["items"][0]
    assert first["article"]["reference"] == "消防法 第二十八条"
    assert "<mark>消防车通道</mark>" in first["snippet_html"] and first["article"]["url"].endswith("#art-28")
    assert Api().get("knowledge/search", q="x", kind="novel").status_code == 422


def test_only_admins_write_through_the_api(laws):
    law = Document.objects.get(short_title="消防法", is_current=True)
    assert Api().patch(f"knowledge/documents/{law.pk}", {"status": "repealed"}).status_code == 401
    assert Api(laws.department).patch(f"knowledge/documents/{law.pk}", {"status": "repealed"}).status_code == 403
    changed = Api(laws.admin).patch(f"knowledge/documents/{law.pk}", {"status": "repealed"})
    assert changed.status_code == 200 and changed.json()["status"] == "repealed"
    assert Api(laws.township_officer).post("knowledge/cases", {}).status_code in (403, 422)


def test_creating_a_case_with_an_unknown_article_names_the_field(laws):
    body = {"title": "测试案例", "occurred_on": "2024-01-02", "place": "某地", "industry": "制造业",
            "accident_type": "fire", "summary": "经过", "cause": "原因", "violated": ["安全生产法 第九百条"]}
    refused = Api(laws.admin).post("knowledge/cases", body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "violated"]
    body["violated"] = ["安法第41条"]
    created = Api(laws.admin).post("knowledge/cases", body)
    assert created.status_code == 201 and created.json()["violated"] == ["安全生产法 第四十一条"]


def test_admins_import_a_document_on_the_import_page_and_see_the_report(client, laws):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(laws.department)
    assert client.get("/knowledge/import/").status_code == 403
    client.force_login(laws.admin)
    upload = SimpleUploadedFile("rule.txt", "某县规定\n第一条 甲。\n第一条 乙。\n".encode())
    refused = client.post("/knowledge/import/", {"file": upload})
    assert refused.status_code == 422 and "条号重复：第一条 已在第2行出现" in refused.text
    upload = SimpleUploadedFile("rule.txt", "某县规定\n第一条 甲。\n第二条 乙。\n".encode())
    imported = client.post("/knowledge/import/", {"file": upload, "kind": "county_document"})
    assert imported.status_code == 200 and "已导入" in imported.text and "2条" in imported.text


def test_synonyms_are_edited_in_the_configuration_site_through_the_service(client, laws):
    from citysafe.core.audit_models import AuditRecord
    from citysafe.knowledge.models import Synonym

    laws.admin.is_staff = True
    laws.admin.save(update_fields=["is_staff"])
    client.force_login(laws.admin)
    added = client.post("/admin/knowledge/synonym/add/", {"term": "燃规", "expansion": "燃气发展规划", "note": ""})
    assert added.status_code == 302 and Synonym.objects.get(term="燃规").expansion == "燃气发展规划"
    assert AuditRecord.objects.filter(object_type="knowledge.Synonym", action="create").exists()
