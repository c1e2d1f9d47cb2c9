"""What changed between two versions of a document, article by article (difflib).

Articles are paired by their key (第四十一条 with 第四十一条); an amendment that renumbers
articles therefore shows as changed text, which is what a reader comparing the two printed
versions sees too. Within a changed article the words are compared character by character
(Chinese has no spaces) and shown with <del>/<ins>, every piece escaped.
"""
import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from citysafe.knowledge.models import Document


@dataclass
class ArticleChange:
    key: str
    label: str
    change: str            # added | removed | changed
    html: SafeString


def inline_diff(old: str, new: str) -> SafeString:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(escape(old[a1:a2]))
        if op in ("delete", "replace"):
            pieces.append(f"<del>{escape(old[a1:a2])}</del>")
        if op in ("insert", "replace"):
            pieces.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return mark_safe("".join(pieces).replace("\n", "<br>"))  # noqa: S308 - every piece escaped above


def compare(old: Document, new: Document) -> list[ArticleChange]:
    before = {a.key: a for a in old.articles.order_by("position")}
    after = {a.key: a for a in new.articles.order_by("position")}
    changes = []
    for key, article in after.items():
        if key not in before:
            changes.append(ArticleChange(key, article.label, "added", mark_safe(escape(article.text).replace(  # noqa: S308
                "\n", "<br>"))))
        elif before[key].text != article.text:
            changes.append(ArticleChange(key, article.label, "changed", inline_diff(before[key].text, article.text)))
    for key, article in before.items():
        if key not in after:
            changes.append(ArticleChange(key, article.label, "removed", mark_safe(escape(article.text).replace(  # noqa: S308
                "\n", "<br>"))))
    return changes


def versions_of(document: Document) -> list[Document]:
    """Every version of the document, newest first (following `previous` back and forward)."""
    newest = document
    while hasattr(newest, "next_version"):
        try:
            newest = newest.next_version
        except Document.DoesNotExist:
            break
    chain, current = [], newest
    while current is not None:
        chain.append(current)
        current = current.previous
    return chain
