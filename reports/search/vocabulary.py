"""Words residents type in pinyin, and the words a mistyped phrase was probably meant to be.

Full-text pinyin of every report would be large and mostly useless: residents type short
words in pinyin (fazhi, fzzf), names of units and common terms. So the vocabulary is bounded:
the glossary shipped with the code (``glossary.txt``), the editors' synonyms, and, from
each revision as it is indexed, its unit's name, its tags and the phrases of its headings
(``SearchTerm``). A word may come from a report that is no longer public; that is harmless,
because a word is only ever used as a phrase to search for, and only words that find
published reports are shown.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

from reports.chinese import is_han, syllables
from reports.models import SearchTerm

GLOSSARY = Path(__file__).resolve().parent / "glossary.txt"
MIN_LENGTH, MAX_LENGTH = 2, 30
PINYIN = re.compile(r"[a-z]{2,40}")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Words tried per pinyin phrase: enough for the homophones of a short word (fazhi: 法治, 法制).
MAX_MATCHES = 6
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Reading:
    term: str
    syllables: tuple[str, ...]

    @property
    def spelled(self) -> str:
        return "".join(self.syllables)

    @property
    def initials(self) -> str:
        return "".join(syllable[0] for syllable in self.syllables)


def reading(term: str) -> Reading | None:
    """The pinyin of a Han-only word (None for anything else)."""
    if not is_han(term):
        return None
    found = tuple(syllables(term))
    return Reading(term, found) if len(found) == len(term) else None


def _words(text: str) -> list[str]:
    return [run for run in _HAN_RUN.findall(text or "") if MIN_LENGTH <= len(run) <= MAX_LENGTH]


def terms_of(content: dict) -> set[str]:
    """Words of a revision's snapshot worth typing in pinyin: its unit's names, tags and heading phrases."""
    organization = content["organization"]
    sources = [organization["name"], organization.get("short_name", ""), *content["tags"]]
    for section in content["sections"]:
        sources.append(section["heading"])
        for item in section["items"]:
            sources += [item["heading"], *(child["heading"] for child in item["children"])]
    return {word for source in sources for word in _words(source)}


def add(terms) -> None:
    """Store the words of ``terms`` not in the vocabulary yet, with their pinyin."""
    terms = set(terms)
    if not terms:
        return
    known = set()
    words = sorted(terms)
    for start in range(0, len(words), 500):
        known |= set(SearchTerm.objects.filter(term__in=words[start : start + 500]).values_list("term", flat=True))
    rows = []
    for term in words:
        found = reading(term) if term not in known else None
        if found is not None:
            rows.append(
                SearchTerm(term=term, pinyin=" ".join(found.syllables), spelled=found.spelled, initials=found.initials)
            )
    SearchTerm.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


@functools.cache
def glossary() -> tuple[Reading, ...]:
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    words = dict.fromkeys(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    return tuple(found for found in map(reading, words) if found is not None)


def _stored(query: Q) -> list[Reading]:
    rows = SearchTerm.objects.filter(query).order_by("term").values_list("term", "pinyin")[:MAX_CANDIDATES]
    return [Reading(term, tuple(pinyin.split())) for term, pinyin in rows]


def _typed_as(letters: str, word: Reading) -> str | None:
    """The part of ``word`` that ``letters`` spell: whole syllables from its start, or its initials."""
    spelled = ""
    for count, syllable in enumerate(word.syllables, start=1):
        spelled += syllable
        if spelled == letters:
            return word.term[:count]
        if len(spelled) >= len(letters):
            break
    if len(letters) >= 2 and word.initials.startswith(letters):
        return word.term[: len(letters)]
    return None


def typed_in_pinyin(letters: str, extra: tuple[Reading, ...] = ()) -> list[str]:
    """Chinese words ``letters`` may stand for, typed as full pinyin or initials (fazhi → 法治, 法制)."""
    if not PINYIN.fullmatch(letters):
        return []
    stored = _stored(Q(spelled__startswith=letters) | Q(initials__startswith=letters))
    found: dict[str, tuple] = {}
    for rank, word in enumerate([*glossary(), *extra, *stored]):
        typed = _typed_as(letters, word)
        if typed is not None and len(typed) >= MIN_LENGTH:
            # Whole words before the starts of longer ones, then the glossary's order.
            found.setdefault(typed, (typed != word.term, rank))
    return sorted(found, key=found.__getitem__)[:MAX_MATCHES]


def sounding_alike(term: str, extra: tuple[Reading, ...] = ()) -> list[str]:
    """Words read like ``term`` or typed with the same initials and length: what an input method may have meant."""
    own = reading(term)
    if own is None:
        return []
    stored = _stored(Q(spelled=own.spelled) | Q(initials=own.initials))
    alike = {
        word.term: (word.spelled != own.spelled, sum(a != b for a, b in zip(word.term, term, strict=True)))
        for word in [*glossary(), *extra, *stored]
        if word.term != term
        and len(word.term) == len(term)
        and (word.spelled == own.spelled or word.initials == own.initials)
    }
    # Homophones first (法制 → 法治), then words that differ in the fewest characters.
    return sorted(alike, key=alike.__getitem__)
