"""Structure and consistency: heading numbers, years, dates, statutory parts and image descriptions.

The rules shared with the workflow live with the model and are only called here:
which statutory parts are missing (``SectionKind.missing_from``) and whether the
title's year is the report's (``reports.dates.title_year_mismatch``).
"""

import re
from pathlib import PurePath

import lxml.html
from django.utils.translation import gettext as _

from reports.checking.findings import Finding, FindingKind
from reports.checking.models import Severity
from reports.dates import title_year_mismatch, written_dates, years_named
from reports.models import SectionKind
from reports.numbering import NUMERAL_CHARS, item_number, parse_chinese_numeral, section_number
from reports.sanitize import remove_unsafe_characters

# Heading numbers at the start of a line, by level: 一、 （一） 1. （1）. “一、二季度” is not a heading.
_LEVELS = [
    (1, re.compile(rf"[ \t　]*([{NUMERAL_CHARS}]+)[ \t]*、(?![{NUMERAL_CHARS}])")),
    (2, re.compile(rf"[ \t　]*[（(][ \t]*([{NUMERAL_CHARS}]+)[ \t]*[)）]")),
    (3, re.compile(r"[ \t　]*(\d{1,3})[ \t]*(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"[ \t　]*[（(][ \t]*(\d{1,3})[ \t]*[)）]")),
]
_SPELLING = {1: section_number, 2: item_number, 3: lambda n: f"{n}.", 4: lambda n: f"（{n}）"}

# Names a camera, a phone or a chat app gives a picture: they describe nothing.
_AUTOMATIC_NAME_WORDS = re.compile(r"微信图片|屏幕截图|截图|图片|照片|附件|IMG|DSC|Screenshot|image|photo", re.I)
_IMAGE_TYPES = ("image/jpeg", "image/png")


def _finding(start, end, text, kind, severity, suggestion, rule, message) -> Finding:
    return Finding(
        start=start,
        end=end,
        text=text,
        kind=kind,
        severity=severity,
        suggestion=suggestion,
        rule=rule,
        message=message,
    )


def _numbered_lines(text: str):
    """(level, number, start, end) of every line of ``text`` that opens with a heading number."""
    offset = 0
    for line in text.splitlines(keepends=True):
        for level, pattern in _LEVELS:
            match = pattern.match(line)
            if match is None:
                continue
            try:
                number = int(match[1]) if level >= 3 else parse_chinese_numeral(match[1])
            except ValueError:
                break
            indent = len(match[0]) - len(match[0].lstrip(" \t　"))
            yield level, number, offset + indent, offset + match.end()
            break
        offset += len(line)


def heading_numbers(text: str) -> list[Finding]:
    """Duplicated or skipped heading numbers in pasted text (一、二、二、 or （一）（三）).

    Each level counts within the heading above it; a list may start again at 1.
    """
    findings = []
    last = dict.fromkeys(_SPELLING, 0)
    for level, number, start, end in _numbered_lines(text):
        previous = last[level]
        expected = _SPELLING[level](previous + 1) if previous + 1 <= 999 else ""
        if number == previous:
            problem = ("structure.heading_number.duplicated", _("标题编号重复。"))
        elif number != 1 and number != previous + 1:
            problem = ("structure.heading_number.skipped", _("标题编号不连续。"))
        else:
            problem = None
        if problem:
            code, message = problem
            suggestion = _("应为“%(number)s”") % {"number": expected}
            findings.append(
                _finding(
                    start, end, text[start:end], FindingKind.HEADING_NUMBER, Severity.WARN, suggestion, code, message
                )
            )
        last[level] = number
        for deeper in range(level + 1, 5):
            last[deeper] = 0
    return findings


def typed_heading_number(heading: str) -> list[Finding]:
    """A heading that starts with its own number, which the page then shows twice (一、一、……)."""
    numbered = next(iter(_numbered_lines(heading)), None)
    if numbered is None:
        return []
    _level, _number, start, end = numbered
    rest = heading[end:].lstrip(" \t　.．、")
    return [
        _finding(
            start,
            end,
            heading[start:end],
            FindingKind.HEADING_NUMBER,
            Severity.WARN,
            rest,
            "structure.heading_number.typed",
            _("标题前的编号由系统自动生成，标题里再写编号，页面上会出现两个编号。"),
        )
    ]


def title_year(title: str, year: int) -> list[Finding]:
    """A title that names years but not the report's own."""
    if not title_year_mismatch(title, year):
        return []
    first = years_named(title)[0]
    return [
        _finding(
            first.start,
            first.end,
            title[first.start : first.end],
            FindingKind.YEAR_MISMATCH,
            Severity.BLOCK,
            _("%(year)s年") % {"year": year},
            "structure.year.title",
            _("标题中的年度与报告年度（%(year)s年）不一致。") % {"year": year},
        )
    ]


def heading_years(heading: str, year: int) -> list[Finding]:
    """Years in a heading other than the report's (or the next, which plans name), outside 《》 and ranges."""
    findings = []
    for named in years_named(heading):
        if named.year in (year, year + 1) or named.in_range or _inside_book_title(heading, named.start):
            continue
        findings.append(
            _finding(
                named.start,
                named.end,
                heading[named.start : named.end],
                FindingKind.YEAR_MISMATCH,
                Severity.WARN,
                _("%(year)s年") % {"year": year},
                "structure.year.heading",
                _("标题中的年度与报告年度（%(year)s年）不一致，请核对。") % {"year": year},
            )
        )
    return findings


def _inside_book_title(text: str, at: int) -> bool:
    before = text[:at]
    return before.count("《") > before.count("》")


def impossible_dates(text: str) -> list[Finding]:
    """Dates that do not exist: 2019年2月30日, 2019年13月, 2019-04-31."""
    findings = []
    for written in written_dates(text):
        if written.valid:
            continue
        if not 1 <= written.month <= 12:
            suggestion = _("月份应在 1 到 12 之间")
        else:
            suggestion = _("%(year)s年%(month)s月没有%(day)s日") % {
                "year": written.year,
                "month": written.month,
                "day": written.day,
            }
        findings.append(
            _finding(
                written.start,
                written.end,
                text[written.start : written.end],
                FindingKind.IMPOSSIBLE_DATE,
                Severity.BLOCK,
                suggestion,
                "structure.date.impossible",
                _("日期不存在，请核对。"),
            )
        )
    return findings


def statutory_parts(kinds: list[str], filled: set[int]) -> list[Finding]:
    """Required parts that are missing, or present with no text at all.

    ``kinds`` are the kinds of the report's sections in order; ``filled`` the indexes of
    those with any text besides their own heading.
    """
    present = list(kinds)
    with_text = [kind for index, kind in enumerate(kinds) if index in filled]
    findings = []
    for kind in SectionKind.missing_from(present):
        findings.append(
            _finding(
                0,
                0,
                str(kind.label),
                FindingKind.MISSING_PART,
                Severity.BLOCK,
                _("补写“%(part)s”部分") % {"part": kind.label},
                "structure.part.missing",
                _("年度报告必须包括这一部分（《法治政府建设与责任落实督察工作规定》）。"),
            )
        )
    for kind in SectionKind.missing_from(with_text):
        if kind in present:
            findings.append(
                _finding(
                    0,
                    0,
                    str(kind.label),
                    FindingKind.MISSING_PART,
                    Severity.BLOCK,
                    _("填写“%(part)s”部分的内容") % {"part": kind.label},
                    "structure.part.empty",
                    _("这一必备部分只有标题，没有内容。"),
                )
            )
    return findings


def images_without_alt(html: str) -> list[Finding]:
    """``<img>`` in rich text without a text alternative (offsets 0: an image has no place in plain text)."""
    if "<img" not in (html or "").lower():
        return []
    # lxml's HTML parser accepts any markup, as a browser does; Python's html.parser can raise on it.
    images = lxml.html.fragment_fromstring(remove_unsafe_characters(html), create_parent="div").iter("img")
    without_alt = [image.get("src") or "" for image in images if not (image.get("alt") or "").strip()]
    return [
        _finding(
            0,
            0,
            src or _("图片"),
            FindingKind.IMAGE_ALT,
            Severity.WARN,
            _("为图片填写说明文字（alt）"),
            "structure.image.alt",
            _("读屏软件的用户无法得知没有说明文字的图片的内容。"),
        )
        for src in without_alt
    ]


def undescribed_image_attachment(name: str, content_type: str) -> list[Finding]:
    """An image attachment whose display name is only what the camera or phone called it."""
    if content_type not in _IMAGE_TYPES:
        return []
    stem = PurePath(name).stem if PurePath(name).suffix.lower() in (".jpg", ".jpeg", ".png") else name
    meaningful = re.sub(r"[\W\d_]+", "", _AUTOMATIC_NAME_WORDS.sub("", stem))
    if len(meaningful) >= 2:
        return []
    return [
        _finding(
            0,
            len(name),
            name,
            FindingKind.IMAGE_ALT,
            Severity.WARN,
            _("把显示名称改为描述图片内容的文字，如“普法宣传活动现场”"),
            "structure.image.attachment_name",
            _("图片附件的显示名称就是读屏软件读出的说明文字。"),
        )
    ]
