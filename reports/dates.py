"""Years and dates as Chinese official text writes them: 2019年, 二〇一九年, 2019年2月28日, 2019-02-28.

Pure text reading, no models: the report model, the pre-publication checks and the
importer's callers all ask the same questions here, so they agree on what a year is.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from reports.numbering import parse_chinese_digits, parse_chinese_numeral

_CHINESE_DIGIT = "〇零一二三四五六七八九"
_DIGITS = "0123456789０１２３４５６７８９"
_CHINESE_SMALL = "一二三四五六七八九十"

# A four-digit year directly followed by 年 (2019年, 2019 年度), not part of a longer number.
_YEAR = re.compile(rf"(?<![0-9０-９])(?:(\d{{4}})|([{_CHINESE_DIGIT}]{{4}}))\s*年")
# The first year of a range such as 2015—2020年 or 2016至2020年 also names a year.
_RANGE_START = re.compile(r"(?<![0-9])(\d{4})\s*[-－—–~～至到]\s*$")

# One pattern from the year on (two alternatives after it), which is several times faster on long texts.
_ARABIC_DATE = re.compile(
    r"(?<![0-9.\-/])(\d{4})"
    r"(?:\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?|([-/.])(\d{1,2})\4(\d{1,2})(?![0-9]|\.\d))"
)
_CHINESE_DATE = re.compile(
    rf"([{_CHINESE_DIGIT}]{{4}})年([{_CHINESE_SMALL}]{{1,2}})月(?:([{_CHINESE_SMALL}]{{1,3}})[日号])?"
)

# Years outside this range are not dates a report would name (they are amounts: 5000年).
EARLIEST_YEAR = 1949
LATEST_YEAR = 2100


@dataclass(frozen=True)
class NamedYear:
    year: int
    start: int
    end: int
    in_range: bool = False  # the end of a range (2015—2020年): the text names a span, not one year


@dataclass(frozen=True)
class WrittenDate:
    """A date as written; ``valid`` is False for 2019年2月30日 or 2019年13月."""

    start: int
    end: int
    year: int
    month: int
    day: int | None
    valid: bool


def years_named(text: str) -> list[NamedYear]:
    """Every year written with 年 in ``text`` (2019年, 二〇一九年度), in order."""
    found = []
    for match in _YEAR.finditer(text or ""):
        if match[1]:
            year = int(match[1])
        else:
            try:
                year = parse_chinese_digits(match[2])
            except ValueError:
                continue
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            continue
        in_range = _RANGE_START.search(text[max(0, match.start() - 8) : match.start()]) is not None
        found.append(NamedYear(year, match.start(), match.end(), in_range))
    return found


def title_year_mismatch(title: str, year: int) -> bool:
    """Whether a title names years but not the report's own (a 2019 report titled “2018年度……”).

    A title may name the following year too (“2019年工作总结和2020年工作安排”); only a
    title that never names the report's year is wrong.
    """
    named = {found.year for found in years_named(title)}
    return bool(named) and year not in named


def written_dates(text: str) -> Iterator[WrittenDate]:
    """Dates written as 年月(日) in Arabic or Chinese numerals, or as 2019-02-28, with their validity."""
    text = text or ""
    # Counting is far cheaper than scanning: most paragraphs of a long report hold no date at all.
    arabic = sum(map(text.count, _DIGITS)) >= 5
    chinese = "月" in text
    for match in _ARABIC_DATE.finditer(text) if arabic else ():
        year = int(match[1])
        if match[2]:
            month, day = int(match[2]), int(match[3]) if match[3] else None
        else:
            month, day = int(match[5]), int(match[6])
        if EARLIEST_YEAR <= year <= LATEST_YEAR:
            yield WrittenDate(match.start(), match.end(), year, month, day, _exists(year, month, day))
    for match in _CHINESE_DATE.finditer(text) if chinese else ():
        try:
            year = parse_chinese_digits(match[1])
            month = parse_chinese_numeral(match[2])
            day = parse_chinese_numeral(match[3]) if match[3] else None
        except ValueError:
            continue
        if EARLIEST_YEAR <= year <= LATEST_YEAR:
            yield WrittenDate(match.start(), match.end(), year, month, day, _exists(year, month, day))


def _exists(year: int, month: int, day: int | None) -> bool:
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    return True
