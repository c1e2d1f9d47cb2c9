"""Splitting the text of a law into parts, chapters, sections and articles (编/章/节/条).

Pure: text in, a `SplitLaw` out. Paragraphs (款) and items (项, "（一）…") stay inside their
article, as lines of its text. Two inputs:

- the Markdown of ../shared/data/laws: "# title", the history lines, "<!-- INFO END -->",
  then "## 第一章 总则" / "### 第一节 …" headings and "第一条 …" paragraphs;
- plain text (a .txt or the paragraphs of a .docx): the title on the first line, history
  lines that start with a date, then headings and articles on their own lines, with or
  without "#". A document without any "第X条" (a county policy: "一、…", "（一）…") is split
  as an outline: "一、" headings are chapters and "（一）" items are its articles.

An article starts a line: "第" + Chinese numeral + "条" (+ "之一"…), then a space, or the
next number in sequence. "第三十条规定的…" at the start of a paragraph is a cross-reference,
not a new article, because it is neither followed by a space nor the next number. Numbers
must increase; a repeated number is an error (duplicates make citations ambiguous), and so
is a text with no article at all (not a law).

Hand-written: no library splits Chinese statutes; the format is small and fully tested
against the 27 shipped laws (kernels/tests/test_law_text.py).
"""
import re
from dataclasses import dataclass, field

from kernels.chinese_numerals import NotANumeral, parse_chinese_number, to_chinese_number

NUMERAL = "〇零一二三四五六七八九十百千两0-9"
HEADING_KINDS = {"编": "part", "章": "chapter", "节": "section"}
_HEADING = re.compile(rf"^(?:#+\s*)?第([{NUMERAL}]+)([编章节])(?:[\s　]+(.*))?$")
_ARTICLE = re.compile(rf"^第([{NUMERAL}]+)条(?:之([{NUMERAL}]+))?(?=([\s　]|.))")
_OUTLINE_HEADING = re.compile(rf"^([{NUMERAL}]+)、\s*(.*)$")
_OUTLINE_ITEM = re.compile(rf"^[（(]([{NUMERAL}]+)[）)]\s*(.*)$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日")
INFO_END = "<!-- INFO END -->"
MAX_HEADING_CHARS = 60


class LawFormatError(ValueError):
    """A text that cannot be split: `code` names the rule, `line` the 1-based line (0: none)."""

    def __init__(self, code: str, line: int = 0, **params):
        self.code, self.line, self.params = code, line, params
        super().__init__(f"{code} at line {line}: {params}")


@dataclass
class Heading:
    kind: str           # part | chapter | section
    number: int
    title: str
    line: int
    code: str = ""      # a standard's "4" or "4.2" (its label as written)

    @property
    def label(self) -> str:
        if self.code:
            return self.code
        word = {v: k for k, v in HEADING_KINDS.items()}[self.kind]
        return f"第{to_chinese_number(self.number)}{word}"


@dataclass
class Article:
    number: int
    sub: int            # 0, or 1 for 第X条之一
    text: str           # paragraphs joined by "\n" (款 and 项 kept inside)
    line: int
    part: Heading | None = None
    chapter: Heading | None = None
    section: Heading | None = None
    outline_label: str = ""   # "二（八）" in an outline document
    clause: str = ""          # a standard's clause number: "4.2.1"

    @property
    def key(self) -> str:
        """Stable within a document: "41", "134-1"; outline items "2.8"; standards "4.2.1"."""
        if self.clause:
            return self.clause
        if self.outline_label:
            return f"{self.chapter.number if self.chapter else 0}.{self.number}"
        return article_key(self.number, self.sub)

    @property
    def label(self) -> str:
        if self.clause:
            return clause_label(self.clause)
        return self.outline_label or article_label(self.number, self.sub)


@dataclass
class SplitLaw:
    title: str
    history: list[str] = field(default_factory=list)     # "2021年6月10日 …修正" lines
    preamble: str = ""
    headings: list[Heading] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    is_outline: bool = False
    is_standard: bool = False
    number: str = ""          # a standard's number: "GB 50016-2014"

    def count(self, kind: str) -> int:
        return sum(1 for h in self.headings if h.kind == kind)


def article_key(number: int, sub: int = 0) -> str:
    return f"{number}-{sub}" if sub else str(number)


def article_label(number: int, sub: int = 0) -> str:
    suffix = f"之{to_chinese_number(sub)}" if sub else ""
    return f"第{to_chinese_number(number)}条{suffix}"


def clause_label(clause: str) -> str:
    """A standard's clause as cited: "第5.5.17条" (the form of enforcement documents)."""
    return f"第{clause}条"


def parse_article_label(text: str) -> tuple[int, int] | None:
    """"第四十一条" / "第41条" / "第一百三十四条之一" → (number, sub); None if it is not one."""
    match = re.fullmatch(rf"第([{NUMERAL}]+)条(?:之([{NUMERAL}]+))?", text.strip())
    if not match:
        return None
    try:
        return parse_chinese_number(match[1]), parse_chinese_number(match[2]) if match[2] else 0
    except NotANumeral:
        return None


def history_dates(history: list[str]) -> list[tuple[str, str]]:
    """[("2021-06-10", "…第三次修正"), …] for each history line that starts with a date."""
    found = []
    for line in history:
        if match := _DATE.match(line):
            found.append((f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}", line))
    return found


def split_markdown(text: str) -> SplitLaw:
    lines = _lines(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].startswith("# "):
        raise LawFormatError("no_title", (first or 0) + 1)
    title = _squash(lines[first][2:])
    try:
        end = next(i for i, line in enumerate(lines) if line.strip() == INFO_END)
    except StopIteration:
        raise LawFormatError("no_info_end", first + 1) from None
    history = [line.strip() for line in lines[first + 1:end] if line.strip()]
    return _split_body(title, history, lines, end + 1)


def split_plain_text(text: str) -> SplitLaw:
    lines = _lines(text)
    from kernels.standard_text import looks_like_standard, split_standard  # it builds on this module's classes

    if looks_like_standard(lines):
        return split_standard(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise LawFormatError("empty")
    title = _squash(lines[first].lstrip("# "))
    position, history = first + 1, []
    while position < len(lines):
        stripped = lines[position].strip()
        if stripped == INFO_END:
            position += 1
            break
        if stripped and not _DATE.match(stripped):
            break
        if stripped:
            history.append(stripped)
        position += 1
    return _split_body(title, history, lines, position)


def split_law(text: str, *, markdown: bool) -> SplitLaw:
    return split_markdown(text) if markdown else split_plain_text(text)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")


def _squash(text: str) -> str:
    """A title without the spaces typesetting puts inside it ("通  知")."""
    return re.sub(r"[\s　]+", "", text.strip())


def _split_body(title: str, history: list[str], lines: list[str], start: int) -> SplitLaw:
    if not title:
        raise LawFormatError("no_title", start)
    has_articles = any(_article_start(line.strip(), None) for line in lines[start:])
    law = SplitLaw(title=title, history=history, is_outline=not has_articles)
    state = _State(law)
    for index in range(start, len(lines)):
        stripped = lines[index].strip().replace("\u3000", " ").strip()
        if stripped:
            state.feed(stripped, index + 1)
    if not law.articles:
        raise LawFormatError("no_articles", start)
    return law


def _article_start(line: str, expected: tuple[int, int] | None):
    """(number, sub, rest) when `line` starts a new article, else None."""
    match = _ARTICLE.match(line)
    if not match:
        return None
    try:
        number = parse_chinese_number(match[1])
        sub = parse_chinese_number(match[2]) if match[2] else 0
    except NotANumeral:
        return None
    rest = line[match.end():]
    spaced = rest[:1] in (" ", "\u3000", "\t") or not rest
    if spaced or (expected is not None and (number, sub) in _next_numbers(expected)):
        return number, sub, rest.strip()
    return None


def _next_numbers(previous: tuple[int, int]) -> set[tuple[int, int]]:
    number, sub = previous
    return {(number + 1, 0), (number, sub + 1)}


class _State:
    """Walks the body line by line, keeping the current part/chapter/section and article."""

    def __init__(self, law: SplitLaw):
        self.law = law
        self.part = self.chapter = self.section = None
        self.article: Article | None = None
        self.seen: dict[tuple[int, int], int] = {}
        self.preamble: list[str] = []

    def feed(self, line: str, number: int) -> None:
        if line.startswith("#") and not _HEADING.match(line):
            raise LawFormatError("bad_heading", number, text=line[:40])
        if (heading := _HEADING.match(line)) and len(line) <= MAX_HEADING_CHARS and "。" not in line:
            self._heading(heading, number)
        elif self.law.is_outline:
            self._outline(line, number)
        elif start := _article_start(line, self._last_number()):
            self._article(start[0], start[1], start[2], number)
        elif self.article is not None:
            self.article.text += "\n" + line
        else:
            self._before_first_article(line)

    def _last_number(self):
        return max(self.seen) if self.seen else (0, 0)

    def _heading(self, match, line: int) -> None:
        heading = Heading(HEADING_KINDS[match[2]], _number(match[1], line), _squash(match[3] or ""), line)
        self.law.headings.append(heading)
        if heading.kind == "part":
            self.part, self.chapter, self.section = heading, None, None
        elif heading.kind == "chapter":
            self.chapter, self.section = heading, None
        else:
            self.section = heading
        self.article = None if not self.law.is_outline else self.article

    def _article(self, number: int, sub: int, rest: str, line: int) -> None:
        key = (number, sub)
        if key in self.seen:
            raise LawFormatError("duplicate_article", line, label=article_label(number, sub),
                                 first_line=self.seen[key])
        if self.law.articles and key < max(self.seen):
            raise LawFormatError("article_out_of_order", line, label=article_label(number, sub),
                                 previous=article_label(*max(self.seen)))
        self.seen[key] = line
        self.article = Article(number, sub, rest, line, self.part, self.chapter, self.section)
        self.law.articles.append(self.article)

    def _before_first_article(self, line: str) -> None:
        # Text outside any article (a preamble, a chapter's introduction) is kept, never dropped.
        self.law.preamble = f"{self.law.preamble}\n{line}".strip()

    def _outline(self, line: str, number: int) -> None:
        """County documents: "一、总体要求" is a chapter, "（八）…" an article under it."""
        if (heading := _OUTLINE_HEADING.match(line)) and len(line) <= MAX_HEADING_CHARS:
            chapter = Heading("chapter", _number(heading[1], number), _squash(heading[2]), number)
            self.law.headings.append(chapter)
            self.chapter, self.article = chapter, None
        elif (item := _OUTLINE_ITEM.match(line)) and self.chapter is not None:
            value = _number(item[1], number)
            label = f"{to_chinese_number(self.chapter.number)}（{to_chinese_number(value)}）"
            key = (self.chapter.number, value)
            if key in self.seen:
                raise LawFormatError("duplicate_article", number, label=label, first_line=self.seen[key])
            self.seen[key] = number
            self.article = Article(value, 0, item[2].strip(), number, None, self.chapter, None, outline_label=label)
            self.law.articles.append(self.article)
        elif self.article is not None:
            self.article.text += "\n" + line
        else:
            self._before_first_article(line)


def _number(numeral: str, line: int) -> int:
    try:
        return parse_chinese_number(numeral)
    except NotANumeral:
        raise LawFormatError("bad_number", line, text=numeral) from None
