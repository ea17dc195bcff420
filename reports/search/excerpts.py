"""The matching passage of a result, with every phrase searched for marked.

Phrases are found in the folded text, which has the same length as the original, so a match
marks the very characters the resident sees (２０１９ for 2019). The text is escaped piece by
piece and only our own ``<mark>`` tags are added: a report containing markup-like text
cannot inject anything.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from reports.search.text import SEPARATOR, fold

EXCERPT_BEFORE = 30
EXCERPT_LENGTH = 120


def spans(text: str, phrases) -> list[tuple[int, int]]:
    """Where any of the (folded) ``phrases`` occurs in ``text``: sorted, overlapping spans merged."""
    folded = fold(text)
    found = []
    for phrase in phrases:
        if not phrase:
            continue
        start = folded.find(phrase)
        while start != -1:
            found.append((start, start + len(phrase)))
            start = folded.find(phrase, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, phrases) -> SafeString:
    """``text`` escaped, with each occurrence of any phrase wrapped in ``<mark>``."""
    pieces, position = [], 0
    for start, end in spans(text, phrases):
        pieces.append(conditional_escape(text[position:start]))
        pieces.append(format_html("<mark>{}</mark>", text[start:end]))
        position = end
    pieces.append(conditional_escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def excerpt(text: str, phrases) -> SafeString:
    """About ``EXCERPT_LENGTH`` characters of ``text`` around its first match, on one line, marked."""
    text = " ".join(text.split())
    found = spans(text, phrases)
    start = max(0, found[0][0] - EXCERPT_BEFORE) if found else 0
    end = start + EXCERPT_LENGTH
    # Never cut a match in two at the end of the window.
    for span_start, span_end in found:
        if span_start < end < span_end:
            end = span_end
    piece = highlight(text[start:end], phrases)
    return mark_safe(("…" if start else "") + piece + ("…" if end < len(text) else ""))  # noqa: S308


def best_passage(texts: dict[int, tuple[str, str]], phrase_sets: list[tuple[str, ...]]) -> tuple[int, str] | None:
    """Of codes' (text, folded text), the (code, passage) holding the most terms, first in reading order; or None."""
    best, best_count = None, 0
    for code in sorted(texts):
        text, folded = texts[code]
        if not any(phrase in folded for phrases in phrase_sets for phrase in phrases):
            continue
        # Folded text has the original's length, and SEPARATOR folds to itself: passages line up.
        for passage, folded_passage in zip(text.split(SEPARATOR), folded.split(SEPARATOR), strict=True):
            count = sum(any(phrase in folded_passage for phrase in phrases) for phrases in phrase_sets)
            if count > best_count:
                best, best_count = (code, passage), count
    return best
