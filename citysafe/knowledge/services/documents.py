"""Importing documents and changing their publication and validity.

An import is all-or-nothing: the file is read and split outside any transaction (a bad file
never opens one), then one transaction writes the document, its divisions and articles, the
search index rows and the audit record. Importing a document whose short title already has a
current version keeps the old version (is_current = False, status 已被修改 when the new one is
in force) and links the new one to it; importing the same content again changes nothing.
"""
import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citysafe.core import scope
from citysafe.core.audit import record_change, snapshot
from citysafe.knowledge.classify import classify, short_title_of
from citysafe.knowledge.models import Article, Division, Document
from citysafe.knowledge.reading import read_document, version_date_from_name
from citysafe.knowledge.search.indexing import index_document, unindex_document
from citysafe.registry.io.workbook import FileProblem
from kernels.law_text import SplitLaw


@dataclass
class ImportReport:
    ok: bool
    name: str
    outcome: str = ""              # created | new_version | unchanged | refused
    document_id: int | None = None
    title: str = ""
    short_title: str = ""
    counts: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _require_admin(actor, action=scope.Action.CREATE) -> None:
    if not scope.may(actor, Document, action):
        raise PermissionDenied(_("只有县安委办管理员可以维护法规知识库"))


def import_document(actor, name: str, data: bytes, *, kind: str = "", issuer: str = "", short_title: str = "",
                    is_published: bool = True, is_synthetic: bool = False) -> ImportReport:
    """Import one file (Markdown of ../shared/data/laws, plain text or .docx). Never raises for
    a bad file: the report says why (ok=False) and nothing was written."""
    _require_admin(actor)
    try:
        read = read_document(data)
    except FileProblem as problem:
        return ImportReport(ok=False, name=name, outcome="refused", errors=[str(problem)])
    if kind and kind not in Document.Kind.values:
        return ImportReport(ok=False, name=name, outcome="refused", errors=[_("类别不在可选范围内：%(kind)s") % {
            "kind": kind}])
    split = read.split
    facts = classify(split, default_kind=kind or Document.Kind.COUNTY_DOCUMENT)
    if name_date := version_date_from_name(name):
        facts["version_date"] = datetime.date.fromisoformat(name_date)
    facts["kind"] = kind or facts["kind"]
    facts["issuer"] = issuer or facts["issuer"]
    digest = hashlib.sha256(read.text.encode("utf-8")).hexdigest()
    short = short_title or short_title_of(split.title)
    report = ImportReport(ok=True, name=name, title=split.title, short_title=short, counts={
        "parts": split.count("part"), "chapters": split.count("chapter"), "sections": split.count("section"),
        "articles": len(split.articles)})
    with transaction.atomic():
        current = Document.objects.select_for_update().filter(short_title=short, is_current=True).first()
        if current is not None and current.content_sha256 == digest:
            report.outcome, report.document_id = "unchanged", current.pk
            return report
        document = _write(actor, split, facts, short=short, name=name, digest=digest, previous=current,
                          is_published=is_published, is_synthetic=is_synthetic)
    report.outcome = "new_version" if current is not None else "created"
    report.document_id = document.pk
    return report


def _write(actor, split: SplitLaw, facts: dict, *, short, name, digest, previous, is_published, is_synthetic):
    if previous is not None:
        before = snapshot(previous)
        previous.is_current = False
        if previous.status == Document.Status.VALID:
            previous.status = Document.Status.AMENDED
        previous.save(update_fields=["is_current", "status"])
        record_change(actor=actor, action="supersede", instance=previous, before=before, after=snapshot(previous))
    document = Document.objects.create(
        title=split.title, short_title=short, history="\n".join(split.history), preamble=split.preamble,
        source_name=name[:255], content_sha256=digest, previous=previous, is_published=is_published,
        is_synthetic=is_synthetic, **facts)
    write_articles(document, split)
    record_change(actor=actor, action="import", instance=document, before=None, after=snapshot(document),
                  note=_("导入%(articles)d条") % {"articles": len(split.articles)})
    return document


def write_articles(document: Document, split: SplitLaw) -> None:
    """Divisions and articles of a split document, then its rows in the search index."""
    divisions = {}
    for position, heading in enumerate(split.headings):
        parent = None
        if heading.kind == "chapter":
            parent = divisions.get(id(_owner(split, heading, "part")))
        elif heading.kind == "section":
            parent = divisions.get(id(_owner(split, heading, "chapter")))
        divisions[id(heading)] = Division.objects.create(
            document=document, parent=parent, kind=heading.kind, number=heading.number, label=heading.label,
            title=heading.title, position=position)
    rows = []
    for position, article in enumerate(split.articles):
        innermost = article.section or article.chapter or article.part
        path = " ".join(f"{h.label} {h.title}".strip() for h in (article.part, article.chapter, article.section) if h)
        rows.append(Article(document=document, division=divisions.get(id(innermost)) if innermost else None,
                            key=article.key, label=article.label, number=article.number, sub=article.sub,
                            position=position, text=article.text, heading_path=path[:300]))
    Article.objects.bulk_create(rows, batch_size=500)
    index_document(document)


def _owner(split: SplitLaw, heading, kind: str):
    """The nearest heading of `kind` before `heading` (its part or chapter)."""
    owner = None
    for candidate in split.headings:
        if candidate is heading:
            return owner
        if candidate.kind == kind:
            owner = candidate
        elif kind == "chapter" and candidate.kind == "part":
            owner = None
    return owner


@transaction.atomic
def change_document(actor, pk: int, *, is_published: bool | None = None, status: str | None = None,
                    short_title: str | None = None) -> Document:
    """Publish or withdraw a document, or set its validity (an admin's decision, audited)."""
    _require_admin(actor, scope.Action.CHANGE)
    document = Document.objects.select_for_update().get(pk=pk)
    before = snapshot(document)
    if status is not None:
        if status not in Document.Status.values:
            raise ValidationError({"status": [_("效力不在可选范围内")]})
        document.status = status
    if is_published is not None:
        document.is_published = bool(is_published)
    if short_title is not None:
        if not short_title.strip():
            raise ValidationError({"short_title": [_("简称不能为空")]})
        document.short_title = short_title.strip()[:100]
    document.save()
    index_document(document)  # the title column of its articles follows the short title
    record_change(actor=actor, action="update", instance=document, before=before, after=snapshot(document))
    return document


@transaction.atomic
def delete_document(actor, pk: int) -> None:
    """Remove a document and its articles (a wrong import); its previous version becomes current."""
    _require_admin(actor, scope.Action.ARCHIVE)
    document = Document.objects.select_for_update().get(pk=pk)
    before, previous = snapshot(document), document.previous
    unindex_document(document)
    document.delete()
    if previous is not None and not Document.objects.filter(short_title=previous.short_title, is_current=True).exists():
        previous.is_current = True
        if previous.status == Document.Status.AMENDED:
            previous.status = Document.Status.VALID
        previous.save(update_fields=["is_current", "status"])
    record_change(actor=actor, action="delete", object_type="knowledge.Document", object_id=str(pk),
                  object_repr=before.get("title", ""), before=before, after=None)
