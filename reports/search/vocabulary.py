"""Words residents type in pinyin, and the words a mistyped phrase was probably meant to be.

Full-text pinyin of every report would be large and mostly useless: residents type short
words in pinyin (fazhi, fzzf), names of units and common terms. So the vocabulary is bounded
(``SearchTerm``): the glossary shipped with the code (``glossary.txt``, stored by ``migrate``),
the editors' synonyms (stored when saved), and, from each revision as it is indexed, its
unit's name, its tags and the phrases of its headings. A word may come from a report that is
no longer public; that is harmless, because a word is only ever used as a phrase to search
for, and only words that find published reports are shown.

Readings are worked out when a word is stored (pypinyin, whose dictionaries take some 50 MB),
so searching never loads pypinyin: a search reads stored words only.
"""

import re
from pathlib import Path

from django.db.models import Q
from django.db.models.functions import Length

from reports.models import SearchTerm

GLOSSARY = Path(__file__).resolve().parent / "glossary.txt"
MIN_LENGTH, MAX_LENGTH = 2, 30
PINYIN = re.compile(r"[a-z]{2,40}")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Words tried per pinyin phrase: enough for the homophones of a short word (fazhi: 法治, 法制).
MAX_MATCHES = 6
MAX_CANDIDATES = 200


def is_han(text: str) -> bool:
    """Whether every character of ``text`` is a Han character (and there is at least one)."""
    return _HAN_RUN.fullmatch(text) is not None


def syllables(word: str) -> list[str]:
    """The pinyin of each character of a Han-only ``word``, toneless and lower case (法治 → fa, zhi)."""
    from pypinyin import Style, lazy_pinyin  # only where words are stored (see the module's docstring)

    return lazy_pinyin(word, style=Style.NORMAL, errors="ignore", v_to_u=False)


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


def glossary() -> list[str]:
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    return list(dict.fromkeys(line.strip() for line in lines if line.strip() and not line.startswith("#")))


def add(terms) -> None:
    """Store the Han words among ``terms`` that the vocabulary lacks, with their pinyin."""
    words = sorted({word for term in terms for word in _words(term)})
    known: set[str] = set()
    for start in range(0, len(words), 500):
        known |= set(SearchTerm.objects.filter(term__in=words[start : start + 500]).values_list("term", flat=True))
    rows = []
    for word in words:
        if word in known or not is_han(word):
            continue
        readings = syllables(word)
        if len(readings) == len(word):
            rows.append(
                SearchTerm(
                    term=word,
                    pinyin=" ".join(readings),
                    spelled="".join(readings),
                    initials="".join(reading[0] for reading in readings),
                )
            )
    SearchTerm.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


def _typed_as(letters: str, term: str, pinyin: str, initials: str) -> str | None:
    """The part of ``term`` that ``letters`` spell: whole syllables from its start, or its initials."""
    spelled = ""
    for count, syllable in enumerate(pinyin.split(), start=1):
        spelled += syllable
        if spelled == letters:
            return term[:count]
        if len(spelled) >= len(letters):
            break
    if initials.startswith(letters):
        return term[: len(letters)]
    return None


def typed_in_pinyin(letters: str) -> list[str]:
    """Chinese words ``letters`` may stand for, typed as full pinyin or initials (fazhi → 法治, 法制)."""
    if not PINYIN.fullmatch(letters):
        return []
    rows = (
        SearchTerm.objects.filter(Q(spelled__startswith=letters) | Q(initials__startswith=letters))
        .order_by(Length("term"), "term")
        .values_list("term", "pinyin", "initials")[:MAX_CANDIDATES]
    )
    found: dict[str, tuple] = {}
    for rank, (term, pinyin, initials) in enumerate(rows):
        typed = _typed_as(letters, term, pinyin, initials)
        if typed is not None and len(typed) >= MIN_LENGTH:
            # Whole words before the starts of longer ones, then shorter words first.
            found.setdefault(typed, (typed != term, rank))
    return sorted(found, key=found.__getitem__)[:MAX_MATCHES]


def _one_edit_apart(first: str, second: str) -> bool:
    """Whether one character replaced, added or removed turns ``first`` into ``second``."""
    if abs(len(first) - len(second)) > 1 or first == second:
        return False
    if len(first) == len(second):
        return sum(a != b for a, b in zip(first, second, strict=True)) == 1
    shorter, longer = sorted((first, second), key=len)
    return any(longer[:at] + longer[at + 1 :] == shorter for at in range(len(longer)))


def one_edit_away(term: str) -> list[str]:
    """Stored words one character away from ``term``: what an input method's wrong homophone may have been.

    Any single edit keeps the first or the last character of a word of two or more, so those
    narrow the candidates. Words of the same length (a replaced character) come first.
    """
    if len(term) < MIN_LENGTH or not is_han(term):
        return []
    rows = (
        SearchTerm.objects.annotate(length=Length("term"))
        .filter(Q(term__startswith=term[0]) | Q(term__endswith=term[-1]), length__range=(len(term) - 1, len(term) + 1))
        .values_list("term", flat=True)[:MAX_CANDIDATES]
    )
    near = [word for word in rows if _one_edit_apart(term, word)]
    return sorted(near, key=lambda word: (len(word) != len(term), word))
