"""Importing laws and county documents: all or nothing, with a report; versions kept."""
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from citysafe.core.audit_models import AuditRecord
from citysafe.knowledge.models import Article, Document
from citysafe.knowledge.services.documents import delete_document, import_document
from citysafe.knowledge.versions import compare

COUNTY_RULE = """某县燃气安全管理办法
2024年3月1日 某县人民政府公布
第一章 总则
第一条 为了加强本县燃气安全管理，制定本办法。
第二条 本办法适用于本县行政区域内的燃气经营和使用。
第二章 附则
第三条 本办法自公布之日起施行。
"""


def test_every_shipped_law_is_loaded_with_its_chapters_and_articles(laws):
    work_safety = Document.objects.get(short_title="安全生产法", is_current=True)
    assert (work_safety.kind, work_safety.issuer) == ("law", "全国人民代表大会常务委员会")
    assert work_safety.articles.count() == 119 and work_safety.divisions.filter(kind="chapter").count() == 7
    assert str(work_safety.version_date) == "2021-06-10"
    gas = Document.objects.get(short_title="城镇燃气管理条例")
    assert (gas.kind, gas.issuer, gas.number) == ("administrative_regulation", "国务院", "国务院令第583号")
    assert Document.objects.exclude(kind="accident_case").count() == 28  # 27 laws + the seed policy
    assert Article.objects.filter(document__kind__in=["law", "administrative_regulation"]).count() == 1863


def test_a_plain_text_county_rule_imports_and_is_searchable(laws):
    report = import_document(laws.admin, "某县燃气安全管理办法.txt", COUNTY_RULE.encode())
    assert report.ok and report.outcome == "created", report.errors
    assert report.counts == {"parts": 0, "chapters": 2, "sections": 0, "articles": 3}
    document = Document.objects.get(pk=report.document_id)
    assert (document.kind, document.short_title) == ("county_document", "某县燃气安全管理办法")
    assert AuditRecord.objects.filter(object_type="knowledge.Document", object_id=str(document.pk),
                                      action="import").exists()


def test_a_docx_imports_like_plain_text(laws):
    word = docx.Document()
    for line in COUNTY_RULE.replace("某县燃气", "某县消防").splitlines():
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    report = import_document(laws.admin, "rule.docx", buffer.getvalue())
    assert report.ok and report.counts["articles"] == 3 and report.short_title == "某县消防安全管理办法"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "文件为空"),
    ("购物清单\n苹果\n香蕉\n".encode(), "没有找到任何条文"),
    ("某条例\n第一条 甲。\n第二条 乙。\n第二条 丙。\n".encode(), "第4行：条号重复：第二条 已在第3行出现"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "不是文本文件"),
    (b"PK\x03\x04" + b"\x00" * 40, "不是文本文件"),
])
def test_a_file_that_is_not_a_law_is_refused_with_a_reason_and_nothing_written(laws, content, message):
    before = (Document.objects.count(), Article.objects.count())
    report = import_document(laws.admin, "bad.txt", content)
    assert not report.ok and report.outcome == "refused"
    assert message in report.errors[0]
    assert (Document.objects.count(), Article.objects.count()) == before


@override_settings(KNOWLEDGE_IMPORT_MAX_BYTES=100)
def test_an_oversized_file_is_refused_before_it_is_read(laws):
    report = import_document(laws.admin, "big.txt", COUNTY_RULE.encode() * 10)
    assert not report.ok and "文件过大" in report.errors[0]


def test_only_admins_import(laws):
    for user in (laws.department, laws.township_officer, laws.leader):
        with pytest.raises(PermissionDenied):
            import_document(user, "rule.txt", COUNTY_RULE.encode())


def test_a_new_version_keeps_the_old_one_and_shows_what_changed(laws):
    first = import_document(laws.admin, "某县燃气安全管理办法.txt", COUNTY_RULE.encode())
    amended = COUNTY_RULE.replace("制定本办法。", "根据《城镇燃气管理条例》，制定本办法。").replace(
        "第三条 本办法自公布之日起施行。", "第三条 燃气用户应当安全用气。\n第四条 本办法自公布之日起施行。")
    second = import_document(laws.admin, "某县燃气安全管理办法.txt", amended.encode())
    assert second.ok and second.outcome == "new_version"
    old, new = Document.objects.get(pk=first.document_id), Document.objects.get(pk=second.document_id)
    assert (old.is_current, old.status, new.previous_id) == (False, "amended", old.pk)
    changes = {c.label: c for c in compare(old, new)}
    assert set(changes) == {"第一条", "第三条", "第四条"}
    assert (changes["第一条"].change, changes["第四条"].change) == ("changed", "added")
    assert "<ins>根据《城镇燃气管理条例》，</ins>" in changes["第一条"].html
    again = import_document(laws.admin, "某县燃气安全管理办法.txt", amended.encode())
    assert (again.outcome, again.document_id) == ("unchanged", new.pk)
    delete_document(laws.admin, new.pk)
    old.refresh_from_db()
    assert (old.is_current, old.status) == (True, "valid")
