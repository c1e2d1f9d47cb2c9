"""Snippets of an article around the query's terms, HTML-escaped, terms wrapped in <mark>."""
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 120


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> SafeString:
    flat = text.replace("\n", " ")
    terms = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not terms:
        return mark_safe(escape(flat[:width]))  # noqa: S308 - escaped just now
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    first = pattern.search(flat)
    start = max(0, (first.start() if first else 0) - width // 4)
    window = flat[start:start + width]
    pieces, last = [], 0
    for match in pattern.finditer(window):
        pieces.append(escape(window[last:match.start()]))
        pieces.append(f"<mark>{escape(match[0])}</mark>")
        last = match.end()
    pieces.append(escape(window[last:]))
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(flat) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece escaped above
