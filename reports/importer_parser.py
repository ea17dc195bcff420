"""Read a report pasted as text (or uploaded as .txt/.docx) into its structure.

Pure: no models, no database. ``reports/importer.py`` turns the result into a draft.

How lines are read, in this order:

1. Blank lines go; every other line is trimmed (spaces, full-width spaces, indentation).
2. Page chrome copied off a web page is moved to ``discarded_lines`` wherever it appears:
   site names (…网站), 官方微信, the 来源/发布时间/浏览次数/【字体/分享到 line, 相关附件,
   footers (主办单位, 版权所有, ICP备, 公网安备, 网站标识码, 联系电话), page numbers,
   attachment file names and repeats of the title. ``source`` and ``published_at`` are
   read from the meta line first. A line that starts with a heading number is never chrome.
3. Headings: ``一、`` (level 1, a section), ``(一)`` or ``（一）`` (level 2, an item),
   ``1.`` ``1、`` ``1．`` (level 3, a child of the current item, or an item of its own when
   the section has none yet). ``(1)`` and inline ``一是……二是……`` are body text. A number
   that does not go up within its level (``一、二季度……`` inside section 三) is body
   text, with a warning; a gap is kept as a heading, with a warning.
4. Heading and body: a heading line without 。 is all heading. A heading line with 。 is a
   run-in heading: the text before the first 。 is the heading (without the 。) and the
   rest of the line opens the body. So every sentence keeps its place, in order.
5. Everything before the first level-1 heading: the first short line naming 法治 and 报告
   is the title; lines after it are the preamble; unknown lines before it are discarded.
6. At the end, the date line (2020年5月27日 or 二〇二〇年五月二十七日) and the short
   lines ending in an issuing body (党工委, 办事处, 人民政府, 局, …) are the sign-off.
7. A section's kind comes from words in its heading; a heading that names no known part,
   or a second section of a kind already seen, becomes "other", with a warning.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath

import docx
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from lxml.etree import XMLSyntaxError

from reports.document_files import check_docx_for_reading
from reports.numbering import NUMERAL_CHARS, parse_chinese_digits, parse_chinese_numeral
from reports.sanitize import remove_unsafe_characters


class ReportTextError(ValueError):
    """The text cannot be read as a report; the message is for the clerk."""


@dataclass
class ParsedItem:
    heading: str
    body: str = ""
    children: list["ParsedItem"] = field(default_factory=list)


@dataclass
class ParsedSection:
    kind: str
    heading: str
    intro: str = ""
    items: list[ParsedItem] = field(default_factory=list)
    unclassified: bool = False


@dataclass
class ParsedReport:
    title: str = ""
    preamble: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    signing_date: date | None = None
    source: str | None = None
    published_at: datetime | None = None  # naive, the site's local time (Asia/Shanghai)
    discarded_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- Headings ----------------------------------------------------------------
_LEVEL_1 = re.compile(rf"([{NUMERAL_CHARS}]+)\s*、\s*(.*)")
_LEVEL_2 = re.compile(rf"[（(]\s*([{NUMERAL_CHARS}]+)\s*[)）]\s*[、.．]?\s*(.*)")
# "1.5万人次……" opens a paragraph with a decimal, not a heading: no digit after the dot.
_LEVEL_3 = re.compile(r"(\d{1,3})\s*(?:[、．]|\.(?!\d))\s*(.*)")

# Checked in this order, so the most specific part wins when a heading names two.
_KIND_WORDS = [
    ("leadership", ("第一责任人", "负责人")),
    ("plans", ("下一年度", "下一步", "工作安排", "主要安排", "计划", "打算", "工作思路")),
    ("shortcomings", ("不足", "问题", "短板")),
    ("measures", ("举措", "成效", "主要做法")),
]
OTHER_KIND = "other"

# --- Page chrome --------------------------------------------------------------
_META_FIELD = re.compile(
    r"(?:(?:信息)?来源|发布(?:时间|日期)|浏览(?:次数|量)|点击(?:数|量|次数)|访问(?:次数|量)|作者|责任编辑)\s*[:：]"
)
_META_START = re.compile(r"(?:【\s*字体|字体\s*[:：]|分享到|【\s*(?:打印|关闭)\s*】)")
_SOURCE = re.compile(r"(?:信息)?来源\s*[:：]\s*(.*?)\s*(?=发布|浏览|点击|访问|作者|责任编辑|【|分享到|$)")
_PUBLISHED = re.compile(
    r"发布(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?"
)
_CHROME_LINE = re.compile(
    r"官方微信|官方微博|微信公众号|政务微信|政务微博|无障碍(?:浏览|阅读)?|长者模式|适老化|"
    r"首页|网站地图|联系我们|打印本页|关闭窗口|返回顶部|"
    r"相关附件\s*[:：]?|附件下载\s*[:：]?|扫一扫.*|(?:您)?当前(?:的)?位置\s*[:：].*|上一篇\s*[:：].*|下一篇\s*[:：].*|"
    r"第\s*\d+\s*页(?:\s*[/／,，]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]"
)
_SITE_NAME = re.compile(r"[^，,。；;：:！？]{2,30}(?:网站|门户网|政府网)")
_FOOTER_WORD = re.compile(
    r"主办单位|承办单位|版权所有|ICP备|公网安备|网站标识码|网站识别码|联系电话|技术支持|copyright|©", re.I
)
_FILE_NAME = re.compile(r"[^。:：]{1,80}\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|jpe?g|png)", re.I)
_FOOTER_MAX_LENGTH = 80

# --- Title and sign-off ----------------------------------------------------------
_TITLE_MAX_LENGTH = 60
_SIGNATORY_MAX_LENGTH = 30
_SIGNATORY_SUFFIXES = (
    "党工委", "办事处", "人民政府", "政府", "委员会", "管委会", "党委", "党组", "工委",
    "局", "办公室", "厅", "部", "院", "所", "中心", "街道", "镇", "乡",
)  # fmt: skip
_SENTENCE_PUNCTUATION = re.compile(r"[，,。；;：:！？!?、“”\"]")
_ARABIC_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_CHINESE_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)

# --- Uploads -----------------------------------------------------------------------
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024
_BINARY_SHARE = 0.1
# Controls, unassigned, private-use and surrogate code points: what decoded binary looks like.
# Format characters (bidi marks, zero-width joiners) are not counted; they are removed later.
_UNREADABLE = frozenset({"Cc", "Cn", "Co", "Cs"})


def parse_report_text(text: str) -> ParsedReport:
    """Read pasted report text; raise ReportTextError when it is not a report."""
    lines = _content_lines(text)
    report = ParsedReport()
    discarded: set[int] = set()
    for index, line in enumerate(lines):
        if _is_chrome(line):
            discarded.add(index)
            _read_meta(line, report)
    kept = [index for index in range(len(lines)) if index not in discarded]
    first_heading = next((position for position, index in enumerate(kept) if _is_section_line(lines[index])), None)
    if first_heading is None:
        raise ReportTextError(_("没有找到“一、”“二、”这样的一级标题，无法识别报告的结构。"))

    head, body = kept[:first_heading], kept[first_heading:]
    preamble = _read_title(head, lines, report, discarded)
    report.preamble = "\n".join(lines[index] for index in preamble)
    if report.title:
        repeats = {index for index in body if lines[index] == report.title}
        discarded |= repeats
        body = [index for index in body if index not in repeats]

    body_lines = _read_sign_off([lines[index] for index in body], report)
    _BodyReader(report).read(body_lines)
    report.discarded_lines = [lines[index] for index in sorted(discarded)]
    return report


def read_upload(name: str, data: bytes) -> str:
    """The text of an uploaded .txt (UTF-8, UTF-16 with BOM, or GB18030) or .docx file."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".txt":
        return _decode_text(data)
    if suffix == ".docx":
        return _docx_text(data)
    if suffix in {".doc", ".wps"}:
        raise ReportTextError(_("无法读取旧版 Word 文件，请在 Word 中另存为 .docx 后再上传。"))
    raise ReportTextError(_("只能导入 .txt 或 .docx 文件。"))


# --- Lines ---------------------------------------------------------------------------
def _content_lines(text: str) -> list[str]:
    visible = [char for char in text if not char.isspace()]
    unreadable = sum(1 for char in visible if char == "\ufffd" or unicodedata.category(char) in _UNREADABLE)
    if "\x00" in text or unreadable > len(visible) * _BINARY_SHARE:
        raise ReportTextError(_("文件内容像是二进制数据，不是文本。"))
    # Split first: a stray form feed or other control between two lines must not join them.
    lines = (remove_unsafe_characters(line).replace("\ufeff", "").strip() for line in text.splitlines())
    lines = [line for line in lines if line]
    if not lines:
        raise ReportTextError(_("没有可导入的内容。"))
    return lines


def _heading(line: str) -> tuple[int, int, str] | None:
    """(level, number, text after the number) for a heading line, else None."""
    for level, pattern in ((1, _LEVEL_1), (2, _LEVEL_2)):
        match = pattern.fullmatch(line)
        if match:
            try:
                return level, parse_chinese_numeral(match[1]), match[2]
            except ValueError:
                return None
    match = _LEVEL_3.fullmatch(line)
    if match and int(match[1]) > 0:
        return 3, int(match[1]), match[2]
    return None


def _is_section_line(line: str) -> bool:
    heading = _heading(line)
    return heading is not None and heading[0] == 1


def _is_chrome(line: str) -> bool:
    if _heading(line):
        return False
    if _META_FIELD.match(line) or _META_START.match(line):
        return True
    if _CHROME_LINE.fullmatch(line) or _SITE_NAME.fullmatch(line) or _FILE_NAME.fullmatch(line):
        return True
    return len(line) <= _FOOTER_MAX_LENGTH and not line.endswith("。") and _FOOTER_WORD.search(line) is not None


def _read_meta(line: str, report: ParsedReport) -> None:
    source = _SOURCE.search(line)
    if source and source[1] and report.source is None:
        report.source = source[1]
    published = _PUBLISHED.search(line)
    if published and report.published_at is None:
        year, month, day, hour, minute, second = (int(part or 0) for part in published.groups())
        try:
            report.published_at = datetime.combine(date(year, month, day), time(hour, minute, second))
        except ValueError:
            report.warnings.append(_("发布时间“%(line)s”不是有效的日期，已忽略。") % {"line": line})


# --- Title and preamble ----------------------------------------------------------------
def _read_title(head: list[int], lines: list[str], report: ParsedReport, discarded: set[int]) -> list[int]:
    """Find the title among the lines before the first section; return the preamble's lines."""
    for position, index in enumerate(head):
        line = lines[index]
        if _is_title(line):
            report.title = line
            skipped = head[:position]
            if skipped:
                discarded.update(skipped)
                report.warnings.append(_("标题前有 %(count)d 行无法识别的内容，已舍弃。") % {"count": len(skipped)})
            return head[position + 1 :]
        if "。" in line or len(line) > _TITLE_MAX_LENGTH:
            break  # the preamble has begun: a title after it would be a sentence, not a title
    report.warnings.append(_("没有找到报告标题（含“法治”和“报告”的标题行），请手工填写。"))
    return head


def _is_title(line: str) -> bool:
    return "法治" in line and "报告" in line and len(line) <= _TITLE_MAX_LENGTH and not line.endswith(("。", "：", ":"))


# --- Sign-off ---------------------------------------------------------------------------
def _read_sign_off(lines: list[str], report: ParsedReport) -> list[str]:
    """Take the signatories and the date off the end; return the lines before them."""
    end = len(lines)
    while end > 0:
        line = lines[end - 1]
        signing_date = None if report.signing_date else _parse_date_line(line)
        if signing_date:
            report.signing_date = signing_date
        elif _is_signatory(line):
            report.signatories.insert(0, line)
        else:
            break
        end -= 1
    if not report.signing_date:
        report.warnings.append(_("没有找到落款日期（如“2020年5月27日”），请手工填写。"))
    return lines[:end]


def _parse_date_line(line: str) -> date | None:
    compact = "".join(line.split())
    try:
        if match := _ARABIC_DATE.fullmatch(compact):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _CHINESE_DATE.fullmatch(compact):
            return date(
                parse_chinese_digits(match[1]), parse_chinese_numeral(match[2]), parse_chinese_numeral(match[3])
            )
    except ValueError:
        return None
    return None


def _is_signatory(line: str) -> bool:
    return (
        len(line) <= _SIGNATORY_MAX_LENGTH
        and line.endswith(_SIGNATORY_SUFFIXES)
        and not _SENTENCE_PUNCTUATION.search(line)
        and _heading(line) is None
    )


# --- Sections and items ------------------------------------------------------------------
class _BodyReader:
    """Walk the lines from the first section to the sign-off, building sections and items."""

    def __init__(self, report: ParsedReport):
        self.report = report
        self.section: ParsedSection | None = None
        self.item: ParsedItem | None = None
        self.child: ParsedItem | None = None
        self.last_number = {1: 0, 2: 0, 3: 0}

    def read(self, lines: list[str]) -> None:
        for line in lines:
            heading = _heading(line)
            if heading and self._accept_number(line, heading[0], heading[1]):
                self._open(heading[0], heading[2])
            else:
                self._add_paragraph(line)

    def _accept_number(self, line: str, level: int, number: int) -> bool:
        last = self.last_number[level]
        if number <= last:
            self.report.warnings.append(
                _("“%(line)s”的编号与前文重复或倒序，已作为正文处理。") % {"line": _excerpt(line)}
            )
            return False
        if number > last + 1:
            self.report.warnings.append(_("“%(line)s”之前缺少编号。") % {"line": _excerpt(line)})
        self.last_number[level] = number
        for deeper in range(level + 1, 4):
            self.last_number[deeper] = 0
        return True

    def _open(self, level: int, text: str) -> None:
        heading, first_paragraph = _split_heading(text)
        if level == 1:
            self.section = _new_section(heading, self.report)
            self.report.sections.append(self.section)
            self.item = self.child = None
        elif level == 2:
            self.item = ParsedItem(heading)
            self.section.items.append(self.item)
            self.child = None
        elif self.item is None:
            # A numbered point straight under a section stands as an item of its own.
            self.child = ParsedItem(heading)
            self.section.items.append(self.child)
        else:
            self.child = ParsedItem(heading)
            self.item.children.append(self.child)
        if first_paragraph:
            self._add_paragraph(first_paragraph)

    def _add_paragraph(self, text: str) -> None:
        target = self.child or self.item
        if target is not None:
            target.body = _join(target.body, text)
        else:
            self.section.intro = _join(self.section.intro, text)


def _split_heading(text: str) -> tuple[str, str]:
    """Split a run-in heading at its first 。; the 。 itself is the only thing dropped."""
    heading, stop, rest = text.partition("。")
    return (heading.strip(), rest.strip()) if stop else (text.strip(), "")


def _new_section(heading: str, report: ParsedReport) -> ParsedSection:
    kinds = [kind for kind, words in _KIND_WORDS if any(word in heading for word in words)]
    taken = {section.kind for section in report.sections} - {OTHER_KIND}
    if not kinds:
        report.warnings.append(_("无法判断“%(heading)s”属于哪一部分，已归为“其他”。") % {"heading": heading})
        return ParsedSection(kind=OTHER_KIND, heading=heading, unclassified=True)
    if kinds[0] in taken:
        report.warnings.append(_("“%(heading)s”与前面的部分类型相同，已归为“其他”。") % {"heading": heading})
        return ParsedSection(kind=OTHER_KIND, heading=heading, unclassified=True)
    return ParsedSection(kind=kinds[0], heading=heading)


def _join(text: str, paragraph: str) -> str:
    return f"{text}\n{paragraph}" if text else paragraph


def _excerpt(line: str, length: int = 30) -> str:
    return line if len(line) <= length else line[:length] + "…"


# --- Uploads -------------------------------------------------------------------------------
def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportTextError(_("无法识别文件的文字编码，请另存为 UTF-8 编码的文本文件后再上传。"))


def _docx_text(data: bytes) -> str:
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
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError):
        raise ReportTextError(not_docx) from None
    lines = []
    for block in blocks:
        if isinstance(block, Table):
            lines.extend(_table_row_text(row) for row in block.rows)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _table_row_text(row) -> str:
    cells: list[str] = []
    for cell in row.cells:
        text = " ".join(cell.text.split())
        # A merged cell is reported once per grid column it spans.
        if not cells or cells[-1] != text:
            cells.append(text)
    return "\t".join(cells)
