"""Splitting a standard (GB 50016-2014 《建筑设计防火规范》, AQ/T …) into its numbered clauses,
so that a clause is cited like an article ("建筑设计防火规范 第5.5.17条").

Pure, like law_text (whose SplitLaw, Heading and Article it fills). The text (plain text or
the paragraphs of a .docx): the title on the first line with the standard's number before or
after it (or alone on the second line), date lines, then

- "1 总则" — a chapter heading: one number, a short title without sentence punctuation, and
  the next dotted number is in that chapter ("1.0.1 …"), or it is the next chapter with plain
  text under it; otherwise a one-number line is an item of the clause above ("1 厂房；") and
  stays inside it, as 款/项 stay inside an article;
- "2.1 术语" — a section heading, the same rule with two numbers;
- "5.5.17 公共建筑的安全疏散距离应符合下列规定：" — a clause, up to the next numbered line;
  text right under a chapter heading ("1 范围" / "本标准规定了…") is the clause "1".

Clause numbers must increase; a repeated one is an error (citations would be ambiguous), a
smaller one inside a clause is read as text ("2.5 m 以上…" wrapped onto a new line).
Hand-written: no library reads Chinese standards; tested in kernels/tests/test_standard_text.py.
"""
import re

from kernels.law_text import MAX_HEADING_CHARS, Article, Heading, LawFormatError, SplitLaw, _lines, _squash

_NUMBER = r"(?:GB|GBZ|AQ|JGJ|CJJ|DB\d{0,6}|TSG|XF|WS|SY|SH|HG|JT|DL|NB|CECS)(?:/[TZ])?\s*\d+(?:\.\d+)?(?:-\d{4})?"
_TITLE_FIRST = re.compile(rf"^({_NUMBER})[\s　]+(.+)$")
_TITLE_LAST = re.compile(rf"^(.+?)[\s　]*[（(]?({_NUMBER})[）)]?$")
_ONLY_NUMBER = re.compile(rf"^{_NUMBER}$")
_CLAUSE = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){0,4})(?:[\s　]+(.*))?$")
_DATE = re.compile(r"^\d{4}[-年]\d{1,2}[-月]\d{1,2}日?")
_SENTENCE = re.compile(r"[。；;，,：:]")


def looks_like_standard(lines: list[str]) -> bool:
    """A standard's number in its title, or several "4.2.1 …" clauses and no "第X条"."""
    filled = [line.strip().lstrip("# ") for line in lines if line.strip()]
    if not filled:
        return False
    if _TITLE_FIRST.match(filled[0]) or _TITLE_LAST.match(filled[0]) or \
            (len(filled) > 1 and _ONLY_NUMBER.match(filled[1])):
        return True
    if any(re.match(r"^第[〇零一二三四五六七八九十百千两0-9]+条", line) for line in filled):
        return False
    return sum(1 for line in filled[1:] if (m := _CLAUSE.match(line)) and "." in m[1] and m[2]) >= 3


def _numbers(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def _is_heading(code: str, rest: str, following: tuple[int, ...] | None, chapter: int, text_next: bool) -> bool:
    """A short title without sentence punctuation, and either the next dotted number is inside
    it, or (a chapter) it is the next chapter and plain text follows ("1 范围" / "本标准…")."""
    depth = code.count(".") + 1
    if depth > 2 or not rest or len(rest) > MAX_HEADING_CHARS or _SENTENCE.search(rest):
        return False
    if following is not None and following[:depth] == _numbers(code) and len(following) > depth:
        return True
    return depth == 1 and int(code) == chapter + 1 and text_next


def split_standard(text: str) -> SplitLaw:
    lines = [line.strip().lstrip("# ").replace("\u3000", " ").strip() for line in _lines(text)]
    numbered = [i for i, line in enumerate(lines) if line]
    if not numbered:
        raise LawFormatError("empty")
    first = numbered[0]
    title, number, position = lines[first], "", first + 1
    if match := _TITLE_FIRST.match(title):
        number, title = match[1], match[2]
    elif match := _TITLE_LAST.match(title):
        title, number = match[1], match[2]
    elif len(numbered) > 1 and _ONLY_NUMBER.match(lines[numbered[1]]):
        number, position = lines[numbered[1]], numbered[1] + 1
    law = SplitLaw(title=_squash(title), is_standard=True, number=re.sub(r"\s+", " ", number))
    while position < len(lines) and (not lines[position] or _DATE.match(lines[position])):
        if lines[position]:
            law.history.append(lines[position])
        position += 1
    # For each line, the numbers of the next line with a dotted number (the heading rule).
    following: list[tuple[int, ...] | None] = [None] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        match = _CLAUSE.match(lines[index])
        following[index] = _numbers(match[1]) if match and "." in match[1] else following[index + 1]
    chapter = section = article = None
    seen: dict[tuple[int, ...], int] = {}
    for index in range(position, len(lines)):
        line = lines[index]
        if not line:
            continue
        match = _CLAUSE.match(line)
        code, rest = (match[1], (match[2] or "").strip()) if match else ("", "")
        text_next = next((not _CLAUSE.match(x) for x in lines[index + 1:] if x), False)
        if match and _is_heading(code, rest, following[index + 1], chapter.number if chapter else 0, text_next):
            heading = Heading("chapter" if "." not in code else "section", _numbers(code)[-1], rest, index + 1, code)
            law.headings.append(heading)
            if heading.kind == "chapter":
                chapter, section = heading, None
            else:
                section = heading
            article = None
            continue
        key = _numbers(code) if match else None
        last = max(seen) if seen else None
        starts = match is not None and ("." in code or article is None) and (last is None or key > last)
        if match and key in seen:
            raise LawFormatError("duplicate_article", index + 1, label=f"第{code}条", first_line=seen[key])
        if starts:
            seen[key] = index + 1
            article = Article(key[0], 0, rest, index + 1, None, chapter, section, clause=code)
            law.articles.append(article)
        elif article is not None:
            article.text += "\n" + line
        elif (section or chapter) is not None:  # text right under a heading: the clause of that number
            heading = section or chapter
            article = Article(_numbers(heading.code)[0], 0, line, index + 1, None, chapter, section,
                              clause=heading.code)
            seen[_numbers(heading.code)] = index + 1
            law.articles.append(article)
        else:
            law.preamble = f"{law.preamble}\n{line}".strip()
    if not law.articles:
        raise LawFormatError("no_articles", position)
    return law
