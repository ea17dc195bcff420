"""Cut text that lost its lines back into the lines of a report.

Text copied out of a PDF viewer or a document-sharing site often arrives as one or a few
long lines: headings inline (``…报告如下: 一、2020 年推进法治政府建设的主要举措和成效
(一)加强组织领导…``), line wraps turned into spaces that split words (``法 治``), page
numbers (``— 3 —``) and running titles in the flow. ``unflatten`` gives the parser the
lines it expects:

- Top-level headings are the ordered sequence 一、 二、 三、 …: a numeral counts only where
  a sentence may begin (after 。：； or a gap) and only when it continues the sequence,
  so ``一是`` or ``开展一、二季度检查`` stay text. Of several possible sequences the one
  whose headings name the statutory parts wins. Inside each section, (一)(二)… likewise.
- A heading ends at the first item number, at its first 。 (a run-in heading, which the
  parser splits), or at a gap when the sentence is too long to be a heading.
- Paragraphs end at a gap after 。！？ or at a run of ideographic spaces (indentation);
  other gaps are line wraps, removed between Chinese characters (``normalize``).
- Page numbers, document-site marks and repeats of the title are dropped and listed; page
  chrome around the report (site names, the 来源/发布时间 line) and the sign-off at the end
  become lines of their own for the parser to read.

Every other character of the text is kept, in order.
"""

import re
from dataclasses import dataclass

from reports.importing import lines
from reports.importing.kinds import kind_named_by
from reports.importing.normalize import folded, is_wide, remove_wrap_spaces
from reports.numbering import NUMERAL_CHARS, parse_chinese_numeral

_SECTION_NUMBER = re.compile(rf"([{NUMERAL_CHARS}]+)\s*、")
_ITEM_NUMBER = re.compile(rf"[（(]\s*([{NUMERAL_CHARS}]+)\s*[)）]")
# "一、二季度", "一、二、三" and "一、是" are text, not a heading.
_NOT_A_SECTION = re.compile(rf"\s*[{NUMERAL_CHARS}]+\s*[、季月年是]")
_STARTS_A_SENTENCE = frozenset("。！？；：:;!?”’）)】」")
_SENTENCE_END = "。！？!?"
_PARAGRAPH_BREAK = re.compile(r"(?<=[。！？!?])\s+|\s*\u3000{2,}\s*")
_CHUNK_MARKER = re.compile(rf"(?<!\S)(?:{lines.CHUNK_MARKER})(?!\S)")
_GAP = re.compile(r"\s+")
_FRAGMENT = re.compile(r"\S+")
# The 来源/发布时间/浏览次数/【字体】/分享到 run of an article page, wrap spaces and all.
_META_RUN = re.compile(
    r"(?:\s*(?:(?:信\s*息\s*)?来\s*源|发\s*布\s*(?:时\s*间|日\s*期)|浏\s*览\s*(?:次\s*数|量)|点\s*击\s*(?:次\s*数|数|量)"
    r"|访\s*问\s*(?:次\s*数|量)|作\s*者|责\s*任\s*编\s*辑)\s*[:：]\s*[^\s:：【]*(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
    r"|\s*【\s*(?:字\s*体\s*[:：]?\s*(?:[大中小]\s*)*|打\s*印|关\s*闭)】?|\s*分\s*享\s*到\s*[:：]?)+"
)

# A sentence longer than this is not a run-in heading: the heading ended at a gap before it.
_RUN_IN_HEADING_MAX = 30
_MIN_HEADING = 6
# A gap before 一是/首先 is where a heading ended and its first paragraph began.
_OPENS_A_PARAGRAPH = re.compile(rf"[{NUMERAL_CHARS}]是|首先")
# Words a top-level heading ends with, so the gap after them is where it ends.
_SECTION_HEADING_ENDINGS = ("成效", "原因", "情况", "安排", "打算", "问题", "不足", "事项", "计划", "思路", "举措")
_TITLE_SEARCH_FRAGMENTS = 30


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: int


def unflatten(content: list[str]) -> tuple[list[str], list[str]] | None:
    """(lines, dropped pieces) for text whose headings are inline; None when there are none."""
    stream = "\n".join(content)
    dropped: list[str] = []
    stream = _CHUNK_MARKER.sub(lambda match: _drop(match, dropped), stream)
    title = _find_title(stream)
    if title:
        first = stream.index(title) + len(title)
        repeats = re.compile(rf"(?<!\S){re.escape(title)}(?!\S)")
        stream = stream[:first] + repeats.sub(lambda match: _drop(match, dropped), stream[first:])

    body_end, tail = _split_tail(stream)
    sections = _sequence(stream, _SECTION_NUMBER, 0, body_end, level=1)
    if not sections or (len(sections) == 1 and not _names_a_part(stream, sections[0], body_end)):
        return None

    result = _head_lines(stream[: sections[0].start], title)
    for number, end in _spans(sections, body_end):
        result += _section_lines(stream, number, end)
    return result + tail, dropped


def _drop(match: re.Match, dropped: list[str]) -> str:
    dropped.append(" ".join(match.group().split()))
    return " "


def _find_title(stream: str) -> str:
    for count, fragment in enumerate(_FRAGMENT.finditer(stream)):
        text = fragment.group()
        if count >= _TITLE_SEARCH_FRAGMENTS or "。" in text or _SECTION_NUMBER.match(text):
            return ""
        if lines.is_title(text):
            return text
    return ""


# --- Heading numbers ---------------------------------------------------------------
def _candidates(stream: str, pattern: re.Pattern, start: int, end: int, level: int) -> list[_Number]:
    found = []
    for match in pattern.finditer(stream, start, end):
        try:
            value = parse_chinese_numeral(match[1])
        except ValueError:
            continue
        number = _Number(match.start(), match.end(), value)
        before = stream[match.start() - 1] if match.start() > start else ""
        if level == 1 and _NOT_A_SECTION.match(stream, match.end()):
            continue
        if before and not before.isspace() and before not in _STARTS_A_SENTENCE:
            # Glued to the text before it: a heading only if it names a part (…情况四、其他事项),
            # or an item number after anything but 第 (第(一)项 cites a clause).
            if level == 1 and not _names_a_part(stream, number, end):
                continue
            if level == 2 and (before == "第" or (before.isalnum() and not is_wide(before))):
                continue
        found.append(number)
    return found


def _sequence(stream: str, pattern: re.Pattern, start: int, end: int, level: int) -> list[_Number]:
    """The best run 1, 2, 3, … of heading numbers between start and end.

    A longest-chain search: each number extends the best run ending in its predecessor
    before it. A top-level heading that names a statutory part weighs more, so a list
    "一、…二、…" inside the preamble loses to the report's own sections.
    """
    best_by_value: dict[int, tuple[int, int]] = {}  # value -> (score, index) of the best run ending so far
    runs: list[tuple[int, int | None]] = []  # per candidate: (score, index of previous)
    candidates = _candidates(stream, pattern, start, end, level)
    for index, number in enumerate(candidates):
        gain = 1 + (2 if level == 1 and _names_a_part(stream, number, end) else 0)
        if number.value == 1:
            runs.append((gain, None))
        elif number.value - 1 in best_by_value:
            score, previous = best_by_value[number.value - 1]
            runs.append((score + gain, previous))
        else:
            runs.append((0, None))
            continue
        if runs[index][0] > best_by_value.get(number.value, (0, 0))[0]:
            best_by_value[number.value] = (runs[index][0], index)
    if not best_by_value:
        return []
    score, last = max(best_by_value.values())
    chain = []
    while last is not None:
        chain.append(candidates[last])
        last = runs[last][1]
    return chain[::-1]


def _names_a_part(stream: str, number: _Number, end: int) -> bool:
    opening = stream[number.end : min(end, number.end + 60)]
    first_sentence = re.split(rf"[{_SENTENCE_END}]|[（(]\s*一\s*[)）]", opening, maxsplit=1)[0]
    return kind_named_by(first_sentence) is not None


# --- Head, sections and items ------------------------------------------------------------
def _head_lines(head: str, title: str) -> list[str]:
    """Page chrome, the meta line and the title as lines of their own, then the preamble."""
    result: list[str] = []
    position = 0
    while position < len(head):
        meta = _META_RUN.match(head, position)
        if meta and meta.group().strip():
            result.append(" ".join(meta.group().split()))
            position = meta.end()
            continue
        fragment = _FRAGMENT.search(head, position)
        if fragment is None:
            break
        text = fragment.group()
        if not (lines.is_chrome(text) or (title and text == title)):
            return result + _paragraphs(head[fragment.start() :])
        result.append(text)
        position = fragment.end()
    return result


def _section_lines(stream: str, number: _Number, end: int) -> list[str]:
    items = _sequence(stream, _ITEM_NUMBER, number.end, end, level=2)
    heading_end = items[0].start if items else end
    result = _heading_and_paragraphs(stream, number, heading_end, level=1)
    for item, item_end in _spans(items, end):
        result += _heading_and_paragraphs(stream, item, item_end, level=2)
    return result


def _spans(numbers: list[_Number], end: int) -> list[tuple[_Number, int]]:
    """Each heading number with where its text ends: at the next number, the last at ``end``."""
    return [
        (number, numbers[index + 1].start if index + 1 < len(numbers) else end) for index, number in enumerate(numbers)
    ]


def _heading_and_paragraphs(stream: str, number: _Number, end: int, level: int) -> list[str]:
    """The numbered heading as one line (run-in text included) and the paragraphs after it."""
    marker = "".join(stream[number.start : number.end].split())
    parts = _paragraphs(stream[number.end : end]) or [""]
    first, rest = parts[0], parts[1:]
    cut = _heading_cut(stream[number.end : end], level)
    if cut is not None:
        heading, after = cut
        return [marker + remove_wrap_spaces(" ".join(heading.split())), *_paragraphs(after)]
    return [marker + first, *rest]


def _heading_cut(text: str, level: int) -> tuple[str, str] | None:
    """Where a heading with no 。 after it ends at a gap: (heading, the text after), or None."""
    text = text.lstrip()
    stop = min((text.find(mark) for mark in _SENTENCE_END if mark in text), default=len(text))
    first_sentence = text[:stop]
    gaps = [gap for gap in _GAP.finditer(first_sentence) if _between_chinese(first_sentence, gap)]
    if not gaps:
        return None
    for gap in gaps:
        before = folded(first_sentence[: gap.start()])
        if (level == 1 and before.endswith(_SECTION_HEADING_ENDINGS)) or _OPENS_A_PARAGRAPH.match(text, gap.end()):
            return first_sentence[: gap.start()], text[gap.end() :]
    if stop < len(text) and len(folded(first_sentence)) <= _RUN_IN_HEADING_MAX:
        return None  # a run-in heading: the parser splits it at its 。
    for gap in gaps:
        if len(folded(first_sentence[: gap.start()])) >= _MIN_HEADING:
            return first_sentence[: gap.start()], text[gap.end() :]
    return None


def _between_chinese(text: str, gap: re.Match) -> bool:
    return 0 < gap.start() and gap.end() < len(text) and is_wide(text[gap.start() - 1]) and is_wide(text[gap.end()])


def _paragraphs(text: str) -> list[str]:
    parts = (remove_wrap_spaces(" ".join(part.split())) for part in _PARAGRAPH_BREAK.split(text))
    return [part for part in parts if part]


# --- Sign-off --------------------------------------------------------------------------------
def _split_tail(stream: str) -> tuple[int, list[str]]:
    """Where the body ends, and the signatories, date and trailing chrome as lines."""
    fragments = list(_FRAGMENT.finditer(stream))
    chrome: list[str] = []
    while fragments and lines.is_chrome(fragments[-1].group()):
        chrome.insert(0, fragments.pop().group())
    end = fragments[-1].end() if fragments else 0
    date = lines.DATE_AT_END.search(stream, 0, end)
    if date is None:
        return end, chrome
    signing = ["".join(date.group().split())]
    end = date.start()
    fragments = list(_FRAGMENT.finditer(stream, 0, end))
    while fragments and lines.is_signatory(fragments[-1].group()):
        signing.insert(0, fragments.pop().group())
        end = fragments[-1].end() if fragments else 0
    return end, signing + chrome
