"""Finding article citations in text a user typed: "《安全生产法》第四十一条", "安法第41条",
"安全生产法 第四十一条第二款", "《中华人民共和国刑法》第一百三十四条之一", outline items of a
county document ("东乡县推进城市安全发展实施意见 二（八）") and clauses of a standard
("《建筑设计防火规范》第5.5.17条", "GB 50016-2014 5.5.17").

Pure: the caller passes the document names it knows (titles, short titles, abbreviations);
a name is taken from 《》 when present, else as the longest known name ending right before the
article number. What the names point at is the caller's business (knowledge.citations).
"""
import re
from dataclasses import dataclass

from kernels.chinese_numerals import NotANumeral, parse_chinese_number
from kernels.law_text import NUMERAL, article_key, article_label, clause_label

_ARTICLE = re.compile(
    rf"(?:《(?P<quoted>[^》]{{1,80}})》)?[\s　]*第(?P<number>[{NUMERAL}]+)条(?:之(?P<sub>[{NUMERAL}]+))?"
    rf"(?:第(?P<clause>[{NUMERAL}]+)款)?(?:第(?P<item>[{NUMERAL}]+)项)?")
_OUTLINE = re.compile(rf"(?:《(?P<quoted>[^》]{{1,80}})》)?[\s　]*(?P<chapter>[{NUMERAL}]+)[（(](?P<item>[{NUMERAL}]+)[）)]")
# A standard's clause: "第5.5.17条", or "5.5.17" right after the standard's name or number.
_CLAUSE = re.compile(r"(?:《(?P<quoted>[^》]{1,80})》)?[\s　]*(?P<first>第)?(?P<clause>\d{1,2}(?:\.\d{1,3}){1,4})"
                     r"(?(first)条|(?![\d.]))")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff（）()]")


@dataclass(frozen=True)
class CitationMatch:
    start: int
    end: int
    name: str | None        # as written (None: no name before the number — "本法第十条")
    key: str                # article key within the document: "41", "134-1", "2.8"
    label: str              # "第四十一条", "第一百三十四条之一", "二（八）"
    clause: int = 0         # 款, when given (kept for display; the link goes to the article)
    item: int = 0           # 项

    @property
    def text(self) -> str:
        return self.label


def _preceding_name(text: str, end: int, names: list[str]) -> tuple[str | None, int]:
    """The longest known name written right before position `end` (spaces allowed between)."""
    stop = end
    while stop > 0 and text[stop - 1] in " 　":
        stop -= 1
    for name in names:  # longest first
        if name and text.endswith(name, 0, stop):
            return name, stop - len(name)
    return None, end


def find_citations(text: str, known_names: list[str]) -> list[CitationMatch]:
    names = sorted({n for n in known_names if n}, key=len, reverse=True)
    found: list[CitationMatch] = []
    taken: list[tuple[int, int]] = []
    for match in _ARTICLE.finditer(text):
        try:
            number = parse_chinese_number(match["number"])
            sub = parse_chinese_number(match["sub"]) if match["sub"] else 0
            clause = parse_chinese_number(match["clause"]) if match["clause"] else 0
            item = parse_chinese_number(match["item"]) if match["item"] else 0
        except NotANumeral:
            continue
        name, start = _name_for(text, match, names)
        found.append(CitationMatch(start, match.end(), name, article_key(number, sub), article_label(number, sub),
                                   clause, item))
        taken.append((match.start(), match.end()))
    for match in _CLAUSE.finditer(text):
        name, start = _name_for(text, match, names)
        if name is None and not match["first"]:  # a bare "2.5" is a number, not a clause
            continue
        found.append(CitationMatch(start, match.end(), name, match["clause"], clause_label(match["clause"])))
        taken.append((match.start(), match.end()))
    for match in _OUTLINE.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        try:
            chapter, item = parse_chinese_number(match["chapter"]), parse_chinese_number(match["item"])
        except NotANumeral:
            continue
        name, start = _name_for(text, match, names)
        if name is None:  # a bare "（八）" is an item of some article, not an outline citation
            continue
        label = f"{match['chapter']}（{match['item']}）"
        found.append(CitationMatch(start, match.end(), name, f"{chapter}.{item}", label))
    return sorted(found, key=lambda c: c.start)


def _name_for(text: str, match, names: list[str]) -> tuple[str | None, int]:
    if match["quoted"]:
        return match["quoted"].strip(), match.start()
    return _preceding_name(text, match.start(), names)
