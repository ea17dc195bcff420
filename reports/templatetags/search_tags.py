"""Search results: an excerpt around the first match, with every match marked.

Text is escaped piece by piece and only our own ``<mark>`` tags are added, so a report
containing markup-like text cannot inject anything.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

EXCERPT_BEFORE = 30
EXCERPT_LENGTH = 120


def _pattern(terms) -> re.Pattern | None:
    terms = [term for term in terms or [] if term]
    if not terms:
        return None
    # Longest first, so a term containing another is marked whole.
    return re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


@register.filter
def excerpt(text: str, terms) -> str:
    """About ``EXCERPT_LENGTH`` characters of ``text`` around the first match, on one line."""
    text = " ".join((text or "").split())
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - EXCERPT_BEFORE) if match else 0
    piece = text[start : start + EXCERPT_LENGTH]
    return ("…" if start else "") + piece + ("…" if start + EXCERPT_LENGTH < len(text) else "")


@register.filter
def highlight(text: str, terms) -> str:
    """``text`` escaped, with each occurrence of any term wrapped in ``<mark>``."""
    text = str(text or "")
    pattern = _pattern(terms)
    if pattern is None:
        return conditional_escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(conditional_escape(text[position : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    pieces.append(conditional_escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
