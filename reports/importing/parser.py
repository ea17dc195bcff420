"""Read a report's text (pasted, or extracted from a file) into its structure.

Pure: no models, no database. ``reports.importing.writer`` turns the result into a draft.

How lines are read, in this order:

1. Radical look-alikes and ligatures become ordinary characters (``normalize``); blank
   lines go; every other line is trimmed (spaces, full-width spaces, indentation).
2. Text that lost its lines — no line starts with ``一、`` — is first cut back into lines
   (``flatten``): headings are found inline as the sequence 一、 二、 三、 …, wrap spaces
   between Chinese characters go, page markers and repeated titles are dropped.
3. Page chrome copied off a web page is moved to ``discarded_lines`` wherever it appears
   (``lines.is_chrome``); ``source`` and ``published_at`` are read from the meta line first.
   A line that starts with a heading number is never chrome.
4. Headings: ``一、`` (level 1, a section), ``(一)`` or ``（一）`` (level 2, an item),
   ``1.`` ``1、`` ``1．`` (level 3, a child of the current item, or an item of its own when
   the section has none yet). ``(1)`` and inline ``一是……二是……`` are body text. A number
   that does not go up within its level (``一、二季度……`` inside section 三) is body
   text, with a warning; a gap is kept as a heading, with a warning.
5. Heading and body: a heading line without 。 is all heading. A heading line with 。 is a
   run-in heading: the text before the first 。 is the heading (without the 。) and the
   rest of the line opens the body. So every sentence keeps its place, in order.
6. Everything before the first level-1 heading: the first short line naming 法治 and 报告
   is the title; lines after it are the preamble; unknown lines before it are discarded.
7. At the end, the date line (2020年5月27日 or 二〇二〇年五月二十七日) and the short
   lines ending in an issuing body (党工委, 办事处, 人民政府, 局, …) are the sign-off.
8. Each section's statutory kind comes from the words of its heading (``kinds``).
"""

import unicodedata
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from reports.importing import kinds, lines
from reports.importing.flatten import unflatten
from reports.importing.normalize import repair_characters
from reports.importing.structure import ParsedItem, ParsedReport, ParsedSection, ReportTextError
from reports.numbering import item_number, section_number, subitem_number
from reports.sanitize import remove_unsafe_characters

# How a missing number of each heading level is written in a warning: 一、 （一） 1.
_MARKERS = {1: section_number, 2: item_number, 3: subitem_number}

_BINARY_SHARE = 0.1
# Controls, unassigned, private-use and surrogate code points: what decoded binary looks like.
# Format characters (bidi marks, zero-width joiners) are not counted; they are removed later.
_UNREADABLE = frozenset({"Cc", "Cn", "Co", "Cs"})


def parse_report_text(text: str) -> ParsedReport:
    """Read report text; raise ReportTextError when it is not a report."""
    content = _content_lines(text)
    report = ParsedReport()
    if not any(lines.is_section_line(line) for line in content):
        flattened = unflatten(content)
        if flattened is None:
            raise ReportTextError(_("没有找到“一、”“二、”这样的一级标题，无法识别报告的结构。"))
        content, report.discarded_lines = flattened
        report.warnings.append(_("原文没有按段落分行，已按“一、”“二、”……的顺序识别标题并重新分段，请在预览中核对。"))

    discarded: set[int] = set()
    for index, line in enumerate(content):
        if lines.is_chrome(line):
            discarded.add(index)
            _read_meta(line, report)
    kept = [index for index in range(len(content)) if index not in discarded]
    first_heading = next(position for position, index in enumerate(kept) if lines.is_section_line(content[index]))

    head, body = kept[:first_heading], kept[first_heading:]
    preamble = _read_title(head, content, report, discarded)
    report.preamble = "\n".join(content[index] for index in preamble)
    if report.title:
        repeats = {index for index in body if content[index] == report.title}
        discarded |= repeats
        body = [index for index in body if index not in repeats]

    body_lines = _read_sign_off([content[index] for index in body], report)
    _BodyReader(report).read(body_lines)
    kinds.settle_kinds(report)
    report.discarded_lines += [content[index] for index in sorted(discarded)]
    return report


# --- Lines ---------------------------------------------------------------------------
def _content_lines(text: str) -> list[str]:
    visible = [char for char in text if not char.isspace()]
    unreadable = sum(1 for char in visible if char == "\ufffd" or unicodedata.category(char) in _UNREADABLE)
    if "\x00" in text or unreadable > len(visible) * _BINARY_SHARE:
        raise ReportTextError(_("文件内容像是二进制数据，不是文本。"))
    # Split first: a stray form feed or other control between two lines must not join them.
    content = (
        repair_characters(remove_unsafe_characters(line).replace("\ufeff", "")).strip() for line in text.splitlines()
    )
    content = [line for line in content if line]
    if not content:
        raise ReportTextError(_("没有可导入的内容。"))
    return content


def _read_meta(line: str, report: ParsedReport) -> None:
    source = lines.SOURCE.search(line)
    if source and source[1] and report.source is None:
        report.source = source[1]
    published = lines.PUBLISHED.search(line)
    if published and report.published_at is None:
        year, month, day, hour, minute, second = (int(part or 0) for part in published.groups())
        try:
            report.published_at = datetime.combine(date(year, month, day), time(hour, minute, second))
        except ValueError:
            report.warnings.append(_("发布时间“%(line)s”不是有效的日期，已忽略。") % {"line": line})


# --- Title and preamble ----------------------------------------------------------------
def _read_title(head: list[int], content: list[str], report: ParsedReport, discarded: set[int]) -> list[int]:
    """Find the title among the lines before the first section; return the preamble's lines."""
    for position, index in enumerate(head):
        line = content[index]
        if lines.is_title(line):
            report.title = line
            skipped = head[:position]
            if skipped:
                discarded.update(skipped)
                report.warnings.append(_("标题前有 %(count)d 行无法识别的内容，已舍弃。") % {"count": len(skipped)})
            return head[position + 1 :]
        if "。" in line or len(line) > lines.TITLE_MAX_LENGTH:
            break  # the preamble has begun: a title after it would be a sentence, not a title
    report.warnings.append(_("没有找到报告标题（含“法治”和“报告”的标题行），请手工填写。"))
    return head


# --- Sign-off ---------------------------------------------------------------------------
def _read_sign_off(body: list[str], report: ParsedReport) -> list[str]:
    """Take the signatories and the date off the end; return the lines before them."""
    end = len(body)
    while end > 0:
        line = body[end - 1]
        signing_date = None if report.signing_date else lines.parse_date_line(line)
        if signing_date:
            report.signing_date = signing_date
        elif lines.is_signatory(line):
            report.signatories.insert(0, line)
        else:
            break
        end -= 1
    if not report.signing_date:
        report.warnings.append(_("没有找到落款日期（如“2020年5月27日”），请手工填写。"))
    return body[:end]


# --- Sections and items ------------------------------------------------------------------
class _BodyReader:
    """Walk the lines from the first section to the sign-off, building sections and items."""

    def __init__(self, report: ParsedReport):
        self.report = report
        self.section: ParsedSection | None = None
        self.item: ParsedItem | None = None
        self.child: ParsedItem | None = None
        self.last_number = {1: 0, 2: 0, 3: 0}

    def read(self, body: list[str]) -> None:
        for line in body:
            found = lines.heading(line)
            if found and self._accept_number(line, found[0], found[1]):
                self._open(*found)
            else:
                self._add_paragraph(line)

    def _accept_number(self, line: str, level: int, number: int) -> bool:
        last = self.last_number[level]

        def marker(position: int) -> str:
            return f"“{_MARKERS[level](position).rstrip('、.')}”"

        if number <= last:
            self.report.warnings.append(
                _(
                    "“%(line)s”的编号%(number)s在前面已经用过（或比前一个标题的编号小），所以没有当作标题，"
                    "而是并入了上一段正文。如果它确实是标题，请在预览中用“从此段起新建条目”或“从此段起新建部分”把它分出来。"
                )
                % {"line": _excerpt(line), "number": marker(number)}
            )
            return False
        if number > last + 1:
            skipped = "、".join(marker(missing) for missing in range(last + 1, number))
            self.report.warnings.append(
                _(
                    "原文在“%(line)s”之前跳过了编号%(skipped)s：可能漏掉了一段内容，也可能只是编号写错了，"
                    "请对照原文核对。"
                )
                % {"line": _excerpt(line), "skipped": skipped}
            )
        self.last_number[level] = number
        for deeper in range(level + 1, 4):
            self.last_number[deeper] = 0
        return True

    def _open(self, level: int, number: int, marker: str, text: str) -> None:
        heading, first_paragraph = split_heading(text)
        if level == 1:
            # The kind is settled once every section is known (``kinds.settle_kinds``).
            self.section = ParsedSection(kind=kinds.OTHER, heading=heading, marker=marker)
            self.report.sections.append(self.section)
            self.item = self.child = None
        elif level == 2:
            self.item = ParsedItem(heading, marker=marker)
            self.section.items.append(self.item)
            self.child = None
        elif self.item is None:
            # A numbered point straight under a section stands as an item of its own.
            self.child = ParsedItem(heading, marker=marker)
            self.section.items.append(self.child)
        else:
            self.child = ParsedItem(heading, marker=marker)
            self.item.children.append(self.child)
        if first_paragraph:
            self._add_paragraph(first_paragraph)

    def _add_paragraph(self, text: str) -> None:
        target = self.child or self.item
        if target is not None:
            target.body = _join(target.body, text)
        else:
            self.section.intro = _join(self.section.intro, text)


def split_heading(text: str) -> tuple[str, str]:
    """Split a run-in heading at its first 。; the 。 itself is the only thing dropped."""
    heading, stop, rest = text.partition("。")
    return (heading.strip(), rest.strip()) if stop else (text.strip(), "")


def _join(text: str, paragraph: str) -> str:
    return f"{text}\n{paragraph}" if text else paragraph


def _excerpt(line: str, length: int = 30) -> str:
    return line if len(line) <= length else line[:length] + "…"
