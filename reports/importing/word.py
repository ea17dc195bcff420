"""The text of a .docx file, with Word's automatic numbering written out.

Headings numbered by Word (numbering.xml: 一、 （一） 1. levels) have no number in the
paragraph's text, which is all python-docx gives; the parser would see no heading at
all. Here each numbered paragraph gets its number as Word displays it, computed from the
list definition (start, format, level text) and the counters Word keeps, so the parser
reads it exactly like typed numbers. Tables become one line per row, cells separated by
tabs, in their place among the paragraphs.

Named ``word`` rather than ``docx`` so that ``import docx`` means python-docx everywhere.
"""

import io
import zipfile
from dataclasses import dataclass

import docx
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from lxml.etree import XMLSyntaxError

from reports.document_files import check_docx_for_reading
from reports.importing.structure import ReportTextError
from reports.numbering import MAX_NUMERAL, chinese_numeral

MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024
_STYLE_DEPTH = 10  # basedOn chains are short; a cycle must not loop for ever


@dataclass
class _Level:
    start: int
    format: str
    text: str


def docx_text(data: bytes) -> str:
    """The paragraphs and table rows of a .docx file, numbered as Word shows them."""
    not_docx = _("文件不是有效的 Word（.docx）文档，可能已损坏或只是改了扩展名。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ReportTextError(not_docx) from None
    # A small upload can unpack to gigabytes; refuse before python-docx reads it all.
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise ReportTextError(_("Word 文档解压后过大，无法导入。"))
    # Paragraph count and the main part's size, so python-docx's time and memory stay bounded.
    try:
        check_docx_for_reading(data)
    except ValidationError as error:
        raise ReportTextError(error.messages[0]) from None
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
        numbering = _Numbering(document)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError):
        raise ReportTextError(not_docx) from None
    lines = []
    for block in blocks:
        if isinstance(block, Table):
            lines.extend(_table_row_text(row) for row in block.rows)
        else:
            lines.append(numbering.label(block) + block.text)
    return "\n".join(lines)


class _Numbering:
    """Word's list definitions and the counters it keeps while laying out the document."""

    def __init__(self, document):
        self.document = document
        self.by_style: dict[str | None, tuple[str | None, int]] = {}
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return  # a document without lists
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for level in abstract.findall(qn("w:lvl")):
                levels[int(level.get(qn("w:ilvl"), "0"))] = _Level(
                    start=int(_value(level, "w:start") or 1),
                    format=_value(level, "w:numFmt") or "decimal",
                    text=_value(level, "w:lvlText") or "",
                )
            self.abstract[abstract.get(qn("w:abstractNumId"))] = levels
        for instance in root.findall(qn("w:num")):
            overrides = {}
            for override in instance.findall(qn("w:lvlOverride")):
                start = _value(override, "w:startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.instances[instance.get(qn("w:numId"))] = (_value(instance, "w:abstractNumId"), overrides)

    def _numbering_of(self, paragraph) -> tuple[str | None, int]:
        """(numId, level) from the paragraph's own properties or, failing that, its style's."""
        properties = paragraph._p.pPr
        num = properties.numPr if properties is not None else None
        if num is not None and num.numId is not None:
            return _numbering(num)
        style_id = properties.style if properties is not None else None
        if style_id not in self.by_style:
            # Looked up once per style: a long report has thousands of paragraphs and a handful of styles.
            self.by_style[style_id] = self._style_numbering(paragraph.style)
        return self.by_style[style_id]

    def _style_numbering(self, style) -> tuple[str | None, int]:
        for _depth in range(_STYLE_DEPTH):
            if style is None:
                break
            properties = style.element.pPr
            num = properties.numPr if properties is not None else None
            if num is not None and num.numId is not None:
                return _numbering(num)
            style = style.base_style
        return None, 0

    def label(self, paragraph) -> str:
        """The number Word shows before ``paragraph`` (advancing the counters), or ""."""
        num_id, level = self._numbering_of(paragraph)
        if num_id is None or num_id not in self.instances:
            return ""
        abstract_id, overrides = self.instances[num_id]
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return ""
        # Lists sharing a definition continue one another unless one restarts its numbers.
        key = f"num:{num_id}" if overrides else f"abstract:{abstract_id}"
        counters = self.counters.setdefault(key, {})
        start = overrides.get(level, levels[level].start)
        counters[level] = counters[level] + 1 if level in counters else start
        for deeper in [deeper for deeper in counters if deeper > level]:
            del counters[deeper]
        text = levels[level].text
        if levels[level].format in ("bullet", "none"):
            return ""
        for shown in range(level, -1, -1):
            placeholder = f"%{shown + 1}"
            if placeholder in text:
                value = counters.get(shown, overrides.get(shown, levels.get(shown, levels[level]).start))
                fmt = levels[shown].format if shown in levels else "decimal"
                text = text.replace(placeholder, _format_number(value, fmt))
        return text


def _numbering(num) -> tuple[str | None, int]:
    num_id = str(num.numId.val)
    level = num.ilvl.val if num.ilvl is not None else 0
    return (None if num_id == "0" else num_id), level


def _value(element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_LEGAL_DIGITS = str.maketrans("一二三四五六七八九十百", "壹贰叁肆伍陆柒捌玖拾佰")


def _format_number(value: int, fmt: str) -> str:
    """A counter in one of Word's number formats (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "ideographDigital"):
        return chinese_numeral(value) if 1 <= value <= MAX_NUMERAL else str(value)
    if fmt == "chineseLegalSimplified":
        return chinese_numeral(value).translate(_LEGAL_DIGITS) if 1 <= value <= MAX_NUMERAL else str(value)
    if fmt in ("ideographTraditional", "ideographZodiac") and 1 <= value <= len(_HEAVENLY_STEMS):
        return _HEAVENLY_STEMS[value - 1]
    if fmt == "decimalEnclosedCircle" and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(digit) + 0xFEE0) for digit in str(value))
    if fmt in ("upperLetter", "lowerLetter") and 1 <= value <= 26:
        letter = chr(ord("A") + value - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= value <= 39:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _roman(value: int) -> str:
    tens, ones = divmod(value, 10)
    digits = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    return "X" * tens + digits[ones]


def _table_row_text(row) -> str:
    cells: list[str] = []
    previous = None
    for cell in row.cells:
        # A merged cell is reported once per grid column it spans, the same XML element each time;
        # two cells that merely hold the same text (12 and 12) are both kept.
        if cell._tc is not previous:
            cells.append(" ".join(cell.text.split()))
        previous = cell._tc
    return "\t".join(cells)
