"""Accident cases from the Excel template, and the Q&A channel (CAPTCHA, rate limit, FAQ)."""
import io

import pytest
from captcha.models import CaptchaStore
from django.test import override_settings
from openpyxl import load_workbook

from citysafe.core.audit_models import AuditRecord
from citysafe.knowledge.case_workbook import COLUMNS, import_cases, template_workbook
from citysafe.knowledge.models import AccidentCase, Question
from citysafe.knowledge.selectors import search_articles
from tests.api.conftest import Api

ROW = {"title": "某厂粉尘爆炸事故", "occurred_on": "2020-08-01", "place": "某工业园区", "industry": "金属制品",
       "accident_type": "其他爆炸", "deaths": 2, "injuries": 5, "direct_loss": 310.5, "summary": "抛光车间铝粉尘爆炸。",
       "cause": "除尘系统未定期清理，粉尘积聚。", "lessons": "", "measures": "", "violated": "安法第41条；消防法第二十八条"}


def workbook(*rows) -> bytes:
    book = load_workbook(io.BytesIO(template_workbook()))
    for row in rows:
        book.active.append([row.get(field) for _h, field, _n in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_cases_import_from_the_template_and_are_searchable(laws):
    report = import_cases(laws.admin, workbook(ROW, {**ROW, "title": "某厂第二起粉尘爆炸事故", "deaths": 0}))
    assert report.ok and report.created == 2, report.errors
    case = AccidentCase.objects.get(document__title="某厂粉尘爆炸事故")
    assert (case.accident_type, case.violated) == ("other_explosion", ["安全生产法 第四十一条", "消防法 第二十八条"])
    hits = search_articles(laws.admin, "粉尘 除尘系统", kinds=["accident_case"], limit=3).hits
    assert hits and hits[0].article.document.title == "某厂粉尘爆炸事故"


def test_one_bad_row_refuses_the_whole_workbook_with_a_row_by_row_report(laws):
    before = AccidentCase.objects.count()
    report = import_cases(laws.admin, workbook(ROW, {**ROW, "title": "第二起", "accident_type": "外星人袭击",
                                                     "violated": "安全生产法 第九百条", "deaths": -1}))
    assert not report.ok and AccidentCase.objects.count() == before
    assert "第4行 事故类型：事故类型应为 GB 6441 的类别之一（如 火灾、高处坠落）" in report.errors
    assert any(e.startswith("第4行 违反条款：“安全生产法 第九百条”") for e in report.errors)
    assert "第4行 死亡人数：应为0或正整数" in report.errors


def test_a_file_that_is_not_a_workbook_is_refused(laws):
    assert not import_cases(laws.admin, b"not a workbook").ok


def ask(client, text, **extra):
    client.get("/knowledge/faq/")
    store = CaptchaStore.objects.order_by("-id").first()
    data = {"question": text, "captcha_0": store.hashkey, "captcha_1": store.response, **extra}
    return client.post("/knowledge/faq/", data, REMOTE_ADDR="203.0.113.7")


def test_the_public_asks_with_a_captcha_and_staff_publish_the_answer(client, laws):
    wrong = client.get("/knowledge/faq/")
    assert wrong.status_code == 200 and "captcha" in wrong.text
    store = CaptchaStore.objects.order_by("-id").first()
    refused = client.post("/knowledge/faq/", {"question": "饭店可以用液化气吗？", "captcha_0": store.hashkey,
                                              "captcha_1": "WRONG"})
    assert refused.status_code == 200 and not Question.objects.exists()
    assert ask(client, "饭店后厨可以使用瓶装液化气吗？").status_code == 302
    question = Question.objects.get()
    assert AuditRecord.objects.filter(object_type="knowledge.Question", object_id=str(question.pk),
                                      action="ask", channel="public").exists()
    assert Api().post(f"knowledge/questions/{question.pk}/answer", {"answer": "可以"}).status_code == 401
    assert Api(laws.township_officer).post(f"knowledge/questions/{question.pk}/answer",
                                           {"answer": "可以"}).status_code == 403
    bad = Api(laws.department).post(f"knowledge/questions/{question.pk}/answer",
                                    {"answer": "可以，但须遵守规定。", "citations": ["燃气条例第九百条"], "publish": True})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "citations"]
    answered = Api(laws.department).post(f"knowledge/questions/{question.pk}/answer", {
        "answer": "可以，但须使用合格气瓶并安装报警装置。", "citations": ["城镇燃气管理条例第二十七条"], "publish": True})
    assert answered.status_code == 200 and answered.json()["status"] == "published"
    faq = client.get("/knowledge/faq/")
    assert "可以，但须使用合格气瓶" in faq.text and "#art-27" in faq.text
    assert [q["id"] for q in Api().get("knowledge/faq").json()] == [question.pk]


@override_settings(KNOWLEDGE_QUESTIONS_PER_HOUR=2)
def test_the_question_form_is_rate_limited_per_address(client, laws):
    assert ask(client, "第一个问题是什么？").status_code == 302
    assert ask(client, "第二个问题是什么？").status_code == 302
    limited = ask(client, "第三个问题是什么？")
    assert limited.status_code == 429 and "提问过于频繁" in limited.text
    assert Question.objects.count() == 2


@pytest.mark.parametrize("user", ["leader", "enterprise_officer"])
def test_only_admins_and_departments_open_the_answer_pages(client, laws, user):
    client.force_login(getattr(laws, user))
    assert client.get("/knowledge/questions/").status_code == 403
