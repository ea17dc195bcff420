"""From what a resident typed to the phrases searched for.

The query is folded (``reports.search.text.fold``) and split on whitespace into terms; a
report matches when it matches every term. A term is matched by any of its alternatives:
the term itself, its simplified form when it was typed in traditional characters, the
editors' synonyms of either, and, for a term of Latin letters, the words it spells in
pinyin (full or initials).
"""

from dataclasses import dataclass

from reports.public.chinese import to_simplified
from reports.search import vocabulary
from reports.search.text import fold

MAX_TERMS = 5
MAX_ALTERNATIVES = 8

TYPED, SIMPLIFIED, SYNONYM, PINYIN = "typed", "simplified", "synonym", "pinyin"


@dataclass(frozen=True)
class Term:
    typed: str
    # (phrase, how it was found), the typed phrase first; every phrase is folded.
    alternatives: tuple[tuple[str, str], ...]

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(phrase for phrase, _ in self.alternatives)


@dataclass(frozen=True)
class Synonyms:
    """The editors' synonym groups, folded: each word with the other words of its groups."""

    of: dict[str, tuple[str, ...]]

    @classmethod
    def from_groups(cls, groups: list[list[str]]) -> "Synonyms":
        of: dict[str, dict[str, None]] = {}
        for group in groups:
            words = [fold(word) for word in group]
            for word in words:
                of.setdefault(word, {}).update(dict.fromkeys(other for other in words if other != word))
        return cls({word: tuple(others) for word, others in of.items()})


def terms_of(text: str) -> list[str]:
    """The folded terms of a query, each once, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(fold(text or "").split()))[:MAX_TERMS]


def parse(text: str, synonyms: Synonyms) -> list[Term]:
    return [_term(typed, synonyms) for typed in terms_of(text)]


def _term(typed: str, synonyms: Synonyms) -> Term:
    found = {typed: TYPED}
    simplified = fold(to_simplified(typed))
    found.setdefault(simplified, SIMPLIFIED)
    for word in (typed, simplified):
        for other in synonyms.of.get(word, ()):
            found.setdefault(other, SYNONYM)
    for word in vocabulary.typed_in_pinyin(typed):
        found.setdefault(fold(word), PINYIN)
    return Term(typed, tuple(found.items())[:MAX_ALTERNATIVES])
