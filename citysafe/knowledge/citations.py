"""Citations of articles: what other capabilities store and how it is shown.

The stored form is a plain string, the article's stable reference: "安全生产法 第四十一条"
(short title, a space, the article label; "第一百三十四条之一"; an outline item "二（八）"; a
standard's clause "建筑设计防火规范 第5.5.17条", also found as "GB 50016-2014 5.5.17").
It names the article in the *current* version of the document, so a link made today follows
the law when it is amended. For other apps (hazards' checklist items and rectification orders,
enforcement decisions):

    from citysafe.knowledge.citations import resolve_citation, find_citations_in, citation_link
    found = resolve_citation("《安全生产法》第四十一条")   # typed by a user
    found.is_resolved, found.reference, found.url           # store found.reference
    citation_link("安全生产法 第四十一条")                   # SafeString: <a …> or a marked span

Templates: `{% load knowledge %}{{ reference|citation }}` renders one stored reference;
`{{ text|cite_links }}` links every citation inside a text. The API: POST
/api/v1/knowledge/citations/resolve {"text": "…"} → every citation found, resolved or not.
An unresolved citation is never dropped: it is shown marked (class "citation unresolved",
title = the reason) so a reader sees that the article could not be found.
"""
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from citysafe.knowledge.classify import STANDARD_KINDS
from citysafe.knowledge.models import Article, Document, Synonym
from kernels.citations import CitationMatch, find_citations


@dataclass
class Citation:
    text: str                       # as written
    name: str | None
    label: str
    article: Article | None = None
    reason: str = ""                # why it is unresolved

    @property
    def is_resolved(self) -> bool:
        return self.article is not None

    @property
    def reference(self) -> str:
        """The stable form to store ("安全生产法 第四十一条"); the text as written when unresolved."""
        return self.article.reference if self.article else self.text

    @property
    def url(self) -> str:
        from citysafe.knowledge.selectors import article_url

        return article_url(self.article) if self.article else ""


def _name_table() -> dict[str, str]:
    """Every name a user may write for a document → its short title."""
    table: dict[str, str] = {}
    for short, title, kind, number in Document.objects.filter(is_current=True).values_list(
            "short_title", "title", "kind", "number"):
        table.setdefault(title, short)
        table.setdefault(short, short)
        table.setdefault(f"中华人民共和国{short}", short)
        if kind in STANDARD_KINDS and number:  # "GB 50016-2014", and "GB 50016" without the year
            table.setdefault(number, short)
            table.setdefault(number.rsplit("-", 1)[0], short)
    for term, expansion in Synonym.objects.values_list("term", "expansion"):
        if expansion in table:
            table.setdefault(term, table[expansion])
    return table


def _resolve(match: CitationMatch, text: str, names: dict[str, str], context: Document | None) -> Citation:
    written = text[match.start:match.end]
    citation = Citation(written, match.name, match.label)
    short = names.get(match.name) if match.name else (context.short_title if context else None)
    if short is None:
        citation.reason = _("未找到法规“%(name)s”") % {"name": match.name} if match.name else _("未写明法规名称")
        return citation
    article = (Article.objects.select_related("document")
               .filter(document__short_title=short, document__is_current=True, key=match.key).first())
    if article is None:
        citation.reason = _("《%(name)s》没有%(label)s") % {"name": short, "label": match.label}
    citation.article = article
    return citation


def find_citations_in(text: str, context: Document | None = None) -> list[Citation]:
    """Every citation in `text`, resolved where possible. `context`: the document "本法" means."""
    names = _name_table()
    return [_resolve(match, text, names, context) for match in find_citations(text or "", list(names))]


def resolve_citation(text: str) -> Citation:
    """The first citation in `text`; unresolved (with the reason) when there is none."""
    found = find_citations_in(text)
    return found[0] if found else Citation(text, None, "", reason=_("没有识别出条文引用（应为“法规名称 第X条”）"))


def citation_link(reference: str) -> SafeString:
    """A stored reference as a link to its article, or marked unresolved (never dropped)."""
    citation = resolve_citation(reference or "")
    return _render(citation, reference)


def _render(citation: Citation, shown: str) -> SafeString:
    if citation.is_resolved:
        return format_html('<a class="citation" href="{}">{}</a>', citation.url, shown)
    return format_html('<span class="citation unresolved" title="{}">{}（{}）</span>', citation.reason, shown,
                       _("未能识别"))


def link_citations(text: str, context: Document | None = None) -> SafeString:
    """`text`, escaped, with every citation in it rendered as a link or marked unresolved."""
    text, names = text or "", _name_table()
    pieces, last = [], 0
    for match in find_citations(text, list(names)):
        pieces.append(escape(text[last:match.start]))
        pieces.append(_render(_resolve(match, text, names, context), text[match.start:match.end]))
        last = match.end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(str(p) for p in pieces))  # noqa: S308 - every piece escaped or format_html
