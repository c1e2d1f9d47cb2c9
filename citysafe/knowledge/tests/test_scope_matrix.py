"""The knowledge base's scope matrix, as tests/api/test_kind_matrix.py does it for core.kinds
record kinds (documents, articles, cases and questions are not core.kinds kinds: they are
imported files, not forms of fields, so the generated matrices do not reach them). Every role
and an anonymous visitor, against an oracle written here from the requirements, not from
core.scope: everybody reads what is published; an unpublished document, its articles and its
case only the county safety office's admins; only admins write documents, cases and synonyms;
admins and departments answer questions; open questions are seen by those who answer them."""
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from citysafe.knowledge.models import Article, Document, Question, Synonym
from citysafe.knowledge.selectors import search_articles
from citysafe.knowledge.services.documents import change_document
from citysafe.knowledge.services.questions import ask_question
from tests.api.conftest import Api

ROLES = ["anonymous", "admin", "leader", "department", "township", "grid", "enterprise"]
READS_UNPUBLISHED = {"admin"}
WRITES = {"admin"}
ANSWERS = {"admin", "department"}


@pytest.fixture
def matrix(laws):
    law = Document.objects.get(short_title="消防法", is_current=True)
    case = Document.objects.filter(kind="accident_case", is_current=True).order_by("id").first()
    for document in (law, case):
        change_document(laws.admin, document.pk, is_published=False)
    question = ask_question("198.51.100.9", question="小区消防车通道被占用可以举报吗？")
    users = {"anonymous": None, **laws.role_users()}
    return law, case, question, users


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_exactly_the_published_documents_unless_it_may_publish(matrix, role):
    law, case, _question, users = matrix
    user, sees = users[role], role in READS_UNPUBLISHED
    api, client = Api(user=user), _client(user)
    expected = Document.objects.filter(is_current=True) if sees else \
        Document.objects.filter(is_current=True, is_published=True)
    assert sorted(d["id"] for d in api.get("knowledge/documents").json()) == sorted(expected.values_list("pk", flat=True))
    assert sorted(c["document_id"] for c in api.get("knowledge/cases").json()) == sorted(
        expected.filter(kind="accident_case").values_list("pk", flat=True))
    hidden = 200 if sees else 404
    article = Article.objects.filter(document=law).order_by("position").first()
    assert api.get(f"knowledge/documents/{law.pk}").status_code == hidden
    assert api.get(f"knowledge/documents/{law.pk}/articles").status_code == hidden
    assert api.get(f"knowledge/articles/{article.pk}").status_code == hidden
    assert client.get(f"/knowledge/documents/{law.pk}/").status_code == hidden
    assert client.get(f"/knowledge/cases/{case.pk}/").status_code == hidden
    found = {hit.article.document_id for hit in search_articles(user or AnonymousUser(), "消防车通道", limit=50).hits}
    assert (law.pk in found) == sees


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_write_documents_cases_and_synonyms(matrix, role):
    law, _case, _question, users = matrix
    api = Api(user=users[role])
    refused = 401 if role == "anonymous" else 403
    allowed = role in WRITES
    assert api.patch(f"knowledge/documents/{law.pk}", {"status": "repealed"}).status_code == (
        200 if allowed else refused)
    assert Document.objects.get(pk=law.pk).status == ("repealed" if allowed else "valid")
    saved = api.client.put("/api/v1/knowledge/synonyms", json.dumps({"term": "消规", "expansion": "消防法"}),
                           content_type="application/json")
    assert saved.status_code == (200 if allowed else refused)
    assert Synonym.objects.filter(term="消规").exists() == allowed


@pytest.mark.parametrize("role", ROLES)
def test_questions_are_answered_and_their_inbox_read_by_admins_and_departments_only(matrix, role):
    _law, _case, question, users = matrix
    user, answers = users[role], role in ANSWERS
    inbox = _client(user).get("/knowledge/questions/")
    if user is None:
        assert inbox.status_code == 302
    else:
        assert inbox.status_code == (200 if answers else 403)
        assert (question.question in inbox.text) == answers
    reply = Api(user=user).post(f"knowledge/questions/{question.pk}/answer", {"answer": "可以向消防救援机构举报。"})
    assert reply.status_code == (200 if answers else 401 if user is None else 403)
    assert Question.objects.get(pk=question.pk).status == ("answered" if answers else "open")
