"""The text of a text PDF, as paragraphs, without running headers, footers and page numbers.

Extraction is PDFium's (pypdfium2), the engine Chrome uses to show and search PDFs: it
applies ToUnicode maps and the predefined CJK CMaps (Adobe-GB1 …), orders vertical and
rotated text, and is fast enough for a 200 KB report in a fraction of a second (pure-Python
extractors take seconds). What PDFium hands back is lines with their positions; from those:

- a line in the top or bottom band of a page that is a page number, or whose text
  (digits aside) recurs there on other pages, is a running header or footer and goes;
- lines are joined into paragraphs: a line continues the one before it when that one ran
  to the right margin and this one is not indented; an indented line opens a paragraph,
  a short line closes one, a line far to the right (a signatory, a date) stands alone,
  and centred lines running on (a two-line title) are one paragraph;
- radical look-alikes and ligatures become ordinary characters later, in ``normalize``.

A page without a text layer (scanned) is named in a warning; a PDF with no text at all is
refused with a message saying it is a scan.
"""

import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.importing import lines
from reports.importing.normalize import remove_wrap_spaces
from reports.importing.structure import ReportTextError

# The share of the page height, top and bottom, where running headers and footers live.
_MARGIN_BAND = 0.1
_PAGE_NUMBER = re.compile(
    r"[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d+\s*页(?:\s*[/／,，]?\s*共\s*\d+\s*页)?|\d{1,4}\s*[/／]\s*\d{1,4}"
)
_INDENT = 0.8  # in character widths: a paragraph's first line is indented by about two
_STANDALONE_INDENT = 4.0  # further in than this is a right-aligned line, not an indent
_SHORT_LINE = 1.5  # ending this many characters before the right margin closes the paragraph


@dataclass
class _Line:
    text: str
    left: float
    right: float
    bottom: float
    top: float

    @property
    def size(self) -> float:
        return self.top - self.bottom


@dataclass
class PdfText:
    text: str
    warnings: list[str]


def pdf_text(data: bytes) -> PdfText:
    """The paragraphs of a text PDF, one a line; raise ReportTextError for a scan or a broken file."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReportTextError(_("PDF 文件设有打开密码，请去掉密码后再上传。")) from None
        raise ReportTextError(_("文件不是有效的 PDF 文档，可能已损坏或只是改了扩展名。")) from None
    try:
        pages = [_page_lines(page) for page in document]
    finally:
        document.close()
    characters = sum(len(line.text.replace(" ", "")) for _height, page_lines in pages for line in page_lines)
    if not characters:
        raise ReportTextError(
            _("这个 PDF 没有文字层（可能是扫描件或图片），无法读取其中的文字。请上传 Word 文档或由原文件导出的 PDF。")
        )
    warnings = []
    empty = [str(number) for number, (_height, page_lines) in enumerate(pages, start=1) if not page_lines]
    if empty:
        warnings.append(
            ngettext(
                "PDF 第 %(pages)s 页没有文字层（可能是扫描页），该页内容未能导入，请手工补录。",
                "PDF 第 %(pages)s 页没有文字层（可能是扫描页），这些页的内容未能导入，请手工补录。",
                len(empty),
            )
            % {"pages": "、".join(empty)}
        )
    body = _without_running_lines(pages)
    return PdfText(text="\n".join(_paragraphs(body)), warnings=warnings)


def _page_lines(page) -> tuple[float, list[_Line]]:
    """The page height and its lines, in PDFium's reading order."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        found = []
        index = 0  # PDFium counts characters in UTF-16 units, line breaks included
        for raw in text.split("\r\n"):
            length = len(raw.encode("utf-16-le")) // 2
            stripped = raw.strip()
            if stripped:
                first = index + _utf16_length(raw[: len(raw) - len(raw.lstrip())])
                last = index + length - 1 - _utf16_length(raw[len(raw.rstrip()) :])
                left, bottom, _right, top = textpage.get_charbox(first, loose=True)
                _left, _bottom, right, _top = textpage.get_charbox(last, loose=True)
                found.append(_Line(stripped, left, right, bottom, top))
            index += length + 2
    finally:
        textpage.close()
        page.close()
    return height, found


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _without_running_lines(pages: list[tuple[float, list[_Line]]]) -> list[_Line]:
    """All pages' lines, less page numbers and the headers and footers that recur in the margins."""

    def in_margin(line: _Line, height: float) -> bool:
        return line.bottom > height * (1 - _MARGIN_BAND) or line.top < height * _MARGIN_BAND

    def shape(line: _Line) -> tuple[str, int]:
        # Digits aside (页码 3, 页码 4), and in its size: a small running title is not the big one on page 1.
        return re.sub(r"\d+", "#", "".join(line.text.split())), round(line.size)

    # On how many pages each margin line occurs, digits aside (页码 3 and 页码 4 are one shape).
    recurring = Counter()
    for height, page_lines in pages:
        recurring.update({shape(line) for line in page_lines if in_margin(line, height)})
    kept = []
    for height, page_lines in pages:
        for line in page_lines:
            if in_margin(line, height) and (
                _PAGE_NUMBER.fullmatch(line.text) or (len(pages) > 1 and recurring[shape(line)] > 1)
            ):
                continue
            kept.append(line)
    return kept


def _paragraphs(body: list[_Line]) -> list[str]:
    if not body:
        return []
    left = Counter(round(line.left) for line in body).most_common(1)[0][0]
    right = max(round(line.right) for line in body)
    paragraphs: list[str] = []
    current: list[str] = []
    previous: _Line | None = None
    for line in body:
        size = max(line.size, 1.0)
        indent = (line.left - left) / size
        standalone = indent > _STANDALONE_INDENT
        opens = standalone or indent >= _INDENT or lines.heading(line.text) is not None
        centred_run = previous is not None and _centred(previous, left, right) and _centred(line, left, right)
        continues = bool(current) and (
            centred_run or (not opens and (right - previous.right) / max(previous.size, 1.0) < _SHORT_LINE)
        )
        if not continues and current:
            paragraphs.append(remove_wrap_spaces(" ".join(current)))
            current = []
        current.append(line.text)
        if standalone and not _centred(line, left, right):
            paragraphs.append(remove_wrap_spaces(" ".join(current)))
            current = []
        previous = line
    if current:
        paragraphs.append(remove_wrap_spaces(" ".join(current)))
    return paragraphs


def _centred(line: _Line, left: float, right: float) -> bool:
    size = max(line.size, 1.0)
    margins = (line.left - left) / size, (right - line.right) / size
    return min(margins) >= 1 and abs((line.left - left) - (right - line.right)) < 2 * size
