"""What search reads of a revision: its passages, grouped by where they stand, and how text is compared.

A revision's searchable text is its title, preamble, section headings and intros, item
headings and bodies, and signatories: what ``reports.history.revisions.search_text`` has
always held. Each passage belongs to one *code*: the title, the front matter (preamble and
signatories), or the heading or the text of one of the statutory parts. Codes let results
rank title and heading hits first and filter and count by part.

Text is compared *folded*: letters and digits through NFKC and case folding (full-width
２０１９ and ＡＢＣ match 2019 and abc), but only where that gives one character, so a
folded text has exactly the length of the original and a match found in one is at the
same place in the other. Punctuation is left as it is, so most Chinese text folds to
itself (and the index stores no second copy of it). Phrases never contain whitespace (the query is split on it), so
passages are joined with ``SEPARATOR``, itself whitespace, and a phrase matches the joined
text exactly when it matches one passage.
"""

import unicodedata
from dataclasses import dataclass

from reports.models import SectionKind
from reports.sanitize import html_to_text

SEPARATOR = "\x1f"  # unit separator: whitespace to str.split(), removed from content by the sanitizer

TITLE = 0
FRONT = 1  # preamble and signatories
# Each statutory part has two codes: its headings, then its text.
PARTS = [kind.value for kind in SectionKind]
HEADING_CODES = frozenset([TITLE, *(2 + 2 * index for index in range(len(PARTS)))])
CODES = range(2 + 2 * len(PARTS))


def code_of(part: str, *, heading: bool) -> int:
    return 2 + 2 * PARTS.index(part) + (0 if heading else 1)


def part_of(code: int) -> str | None:
    """The statutory part a code belongs to (None for the title and front matter)."""
    return PARTS[(code - 2) // 2] if code >= 2 else None


def mask_of(codes) -> int:
    mask = 0
    for code in codes:
        mask |= 1 << code
    return mask


HEADING_MASK = mask_of(HEADING_CODES)
PART_MASKS = {part: mask_of([code_of(part, heading=True), code_of(part, heading=False)]) for part in PARTS}


class _FoldTable(dict):
    """str.translate table folding each character, filled in as characters are first met."""

    def __missing__(self, code_point: int) -> str:
        character = chr(code_point)
        folded = unicodedata.normalize("NFKC", character).casefold()
        if len(folded) != 1 or not folded.isalnum():
            folded = character
        self[code_point] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """``text`` as search compares it: same length, each character NFKC- and case-folded."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Passage:
    code: int
    text: str


def _clean(text: str) -> str:
    return text.replace(SEPARATOR, " ").strip()


def passages(content: dict) -> list[Passage]:
    """The searchable passages of a revision's snapshot, in reading order."""
    found = [Passage(TITLE, content["title"]), Passage(FRONT, html_to_text(content["preamble"]))]
    for section in content["sections"]:
        part = section["kind"]
        heading, text = code_of(part, heading=True), code_of(part, heading=False)
        found += [Passage(heading, section["heading"]), Passage(text, html_to_text(section["intro"]))]
        for item in section["items"]:
            for entry in [item, *item["children"]]:
                found += [Passage(heading, entry["heading"]), Passage(text, html_to_text(entry["body"]))]
    found += [Passage(FRONT, line) for line in content["signatories"]]
    return [Passage(passage.code, _clean(passage.text)) for passage in found if _clean(passage.text or "")]


def joined_by_code(found: list[Passage]) -> dict[int, str]:
    """Passages of each code joined by ``SEPARATOR``, in reading order."""
    by_code: dict[int, list[str]] = {}
    for passage in found:
        by_code.setdefault(passage.code, []).append(passage.text)
    return {code: SEPARATOR.join(texts) for code, texts in by_code.items()}
