"""A user's query as index terms: every group must match; a group matches when any of its
alternatives does; an alternative is a set of tokens that must all be present.

- a word: itself, or the pieces it is made of (a document may have segmented it differently);
- a synonym or abbreviation from the Synonym table ("安法"): also its expansion ("安全生产法");
- a "quoted phrase": all its pieces, and then the literal text must appear (checked on the
  candidates by the selector: segmentation alone cannot promise adjacency).
"""
import re
from dataclasses import dataclass, field

from citysafe.knowledge.search.segment import pieces, query_words

_PHRASE = re.compile(r"[\"“”「」『』]([^\"“”「」『』]+)[\"“”「」『』]")
MAX_GROUPS = 12


@dataclass
class CompiledQuery:
    groups: list[list[tuple[str, ...]]] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)       # literal texts that must appear
    highlight: list[str] = field(default_factory=list)     # what to <mark> in snippets

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _word_alternatives(word: str) -> list[tuple[str, ...]]:
    parts = tuple(pieces(word))
    return [(word,)] if parts == (word,) else [(word,), parts]


def _expansion_alternative(text: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for word in query_words(text):
        tokens.extend(pieces(word))
    return tuple(dict.fromkeys(tokens))


def compile_query(text: str, synonyms: dict[str, list[str]] | None = None) -> CompiledQuery:
    """`synonyms`: term → expansions (from the Synonym table, both directions)."""
    synonyms = synonyms or {}
    compiled = CompiledQuery()
    for match in _PHRASE.finditer(text):
        phrase = re.sub(r"\s+", "", match[1])
        if phrase:
            compiled.phrases.append(phrase)
            compiled.highlight.append(phrase)
            compiled.groups.append([_expansion_alternative(phrase)])
    rest = _PHRASE.sub(" ", text)
    compiled.highlight += [chunk for chunk in rest.split() if len(chunk) > 1]
    # Synonym terms are found in the raw text first (longest first), so an abbreviation that
    # jieba would split ("安法" → 安, 法) is read as one term.
    for term in sorted(synonyms, key=len, reverse=True):
        if term and term in rest:
            rest = rest.replace(term, " ")
            group = _word_alternatives(term) if len(term) > 1 else [(term,)]
            # An expansion counts as a whole word (安全生产法), never as its pieces (安全 + 生产 is
            # in most articles of every safety law and would drown the abbreviation's meaning).
            for expansion in synonyms[term]:
                words = query_words(expansion)
                group += [(words[0],)] if len(words) == 1 else [_expansion_alternative(expansion)]
            compiled.groups.append(list(dict.fromkeys(group)))
            compiled.highlight += [term, *synonyms[term]]
    for word in query_words(rest):
        compiled.groups.append(_word_alternatives(word))
        compiled.highlight.append(word)
    compiled.groups = [g for g in compiled.groups if any(g)][:MAX_GROUPS]
    return compiled


def loosened(compiled: CompiledQuery) -> CompiledQuery | None:
    """The same query with its groups OR-ed: used when every word together finds too little,
    so a question with one word the law does not use still finds the articles with the
    others (ranking puts those matching more words first)."""
    if len(compiled.groups) < 2:
        return None
    merged = [alternative for group in compiled.groups for alternative in group]
    return CompiledQuery(groups=[list(dict.fromkeys(merged))], phrases=compiled.phrases,
                         highlight=compiled.highlight)


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def to_fts5(compiled: CompiledQuery) -> str:
    """FTS5 MATCH syntax: ("消防" OR ("消防" AND "设施")) AND …"""
    def alternative(tokens):
        return " AND ".join(_quote_fts(t) for t in tokens) if len(tokens) == 1 else \
            "(" + " AND ".join(_quote_fts(t) for t in tokens) + ")"
    return " AND ".join("(" + " OR ".join(alternative(a) for a in group) + ")" for group in compiled.groups)


def _quote_ts(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def to_tsquery(compiled: CompiledQuery) -> str:
    """PostgreSQL to_tsquery('simple', …) syntax: ('消防' | ('消防' & '设施')) & …"""
    def alternative(tokens):
        return "(" + " & ".join(_quote_ts(t) for t in tokens) + ")"
    return " & ".join("(" + " | ".join(alternative(a) for a in group) + ")" for group in compiled.groups)
