"""Reading an uploaded law or county document: bounded and sniffed before anything is parsed,
like the registry's imports (registry/io/workbook.py, core/attachments.py).

- size: at most KNOWLEDGE_IMPORT_MAX_BYTES (default 5 MB; the longest shipped law is 61 kB);
- type by content, never by name: a zip holding word/document.xml is .docx (its directory is
  checked for size, compression ratio and DTDs by registry.io.workbook.inspect_archive before
  python-docx opens it); otherwise the bytes must be UTF-8 (or GB 18030, what Chinese Windows
  saves) text without NUL bytes. Markdown is told by its "# title" line or the INFO END marker;
- then the splitter (kernels.law_text), whose errors become Chinese messages with the line.
"""
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from citysafe.registry.io.workbook import FileProblem, inspect_archive
from kernels.law_text import INFO_END, LawFormatError, SplitLaw, split_law

DOCX_MEMBER = "word/document.xml"
FORMAT_ERRORS = {
    "empty": gettext_noop("文件没有内容"),
    "no_title": gettext_noop("第一行应为标题（Markdown 以“# ”开头）"),
    "no_info_end": gettext_noop("Markdown 法规文件缺少“<!-- INFO END -->”标记（标题和制定经过之后）"),
    "no_articles": gettext_noop("没有找到任何条文（“第一条 ……”），不是可以导入的法规文件"),
    "duplicate_article": gettext_noop("条号重复：%(label)s 已在第%(first_line)s行出现"),
    "article_out_of_order": gettext_noop("条号顺序错误：%(label)s 出现在 %(previous)s 之后"),
    "bad_heading": gettext_noop("无法识别的标题行：“%(text)s”（应为“第X编/章/节 名称”）"),
    "bad_number": gettext_noop("无法识别的中文数字：“%(text)s”"),
}


@dataclass
class ReadDocument:
    split: SplitLaw
    format: str       # markdown | text | docx
    text: str


def max_bytes() -> int:
    return int(getattr(settings, "KNOWLEDGE_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def format_error(error: LawFormatError) -> str:
    message = _(FORMAT_ERRORS.get(error.code, error.code)) % error.params if error.params else \
        _(FORMAT_ERRORS.get(error.code, error.code))
    return _("第%(line)d行：%(message)s") % {"line": error.line, "message": message} if error.line else message


def read_document(data: bytes) -> ReadDocument:
    """Parse an uploaded file into a split document; FileProblem (Chinese) when it is not one."""
    if not data:
        raise FileProblem(_("文件为空"))
    if len(data) > max_bytes():
        raise FileProblem(_("文件过大：%(size).1f MB，上限为 %(limit).1f MB") % {
            "size": len(data) / 1048576, "limit": max_bytes() / 1048576})
    if zipfile.is_zipfile(io.BytesIO(data)):
        text, kind = _docx_text(data), "docx"
    else:
        text = _decode(data)
        kind = "markdown" if _looks_like_markdown(text) else "text"
    try:
        return ReadDocument(split_law(text, markdown=kind == "markdown"), kind, text)
    except LawFormatError as error:
        raise FileProblem(format_error(error)) from None


def _looks_like_markdown(text: str) -> bool:
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    return first.startswith("# ") or INFO_END in text


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise FileProblem(_("不是文本文件、Markdown 或 Word（.docx）文件"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("文本编码无法识别：请保存为 UTF-8"))


def _docx_text(data: bytes) -> str:
    inspect_archive(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if DOCX_MEMBER not in archive.namelist():
            raise FileProblem(_("不是 Word（.docx）文件：压缩包中没有正文"))
    import docx  # python-docx; imported here, only imports of .docx need it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for one damaged file
        raise FileProblem(_("Word 文件已损坏，无法读取")) from exc
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


_DATE_IN_NAME = re.compile(r"[（(](\d{4}-\d{2}-\d{2})[)）]")


def version_date_from_name(name: str) -> str | None:
    """"安全生产法(2021-06-10).md" → "2021-06-10" (the shipped files name their version)."""
    match = _DATE_IN_NAME.search(name or "")
    return match[1] if match else None
