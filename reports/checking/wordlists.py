"""The word lists: editing them (every change recorded) and finding their wrong forms in text.

All wrong forms and their exceptions go into one Aho–Corasick automaton (pyahocorasick),
so a text is read once whatever the size of the lists. Where matches overlap, the
leftmost and then the longest wins (国务院法制办公室 rather than 法制办公室 inside it); a
match inside one of its entry's exceptions (原国土资源部, 农业部门) is not a finding.

The automaton is built once per process and rebuilt when the lists' version (their
size, newest entry, newest change) moves, so another server's edit is seen on the next check.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.checking.findings import Finding
from reports.checking.models import WordListAction, WordListChange, WordListEntry
from reports.roles import may_edit_wordlists


@dataclass(frozen=True)
class Word:
    """An entry as the matcher needs it (built from a row, or directly by tests and the benchmark)."""

    wrong: str
    suggestion: str
    severity: str
    category: str
    note: str = ""
    exceptions: tuple[str, ...] = ()
    since_year: int | None = None

    @classmethod
    def from_entry(cls, entry: WordListEntry) -> "Word":
        return cls(
            wrong=entry.wrong,
            suggestion=entry.suggestion,
            severity=entry.severity,
            category=entry.category,
            note=entry.note,
            exceptions=tuple(entry.exception_list),
            since_year=entry.since_year,
        )

    def applies_to(self, year: int | None) -> bool:
        """Whether text about ``year`` is checked for this word (None: a text of unknown year, checked for all)."""
        return self.since_year is None or year is None or year >= self.since_year


class WordList:
    """Wrong forms and their exceptions, matched in one pass."""

    def __init__(self, words: Iterable[Word]):
        self.words = list(words)
        self._rules = [f"wordlist:{word.wrong}" for word in self.words]
        # phrase → [(is_exception, word index)]: one phrase may be one word's wrong form and another's exception.
        roles: dict[str, list[tuple[bool, int]]] = defaultdict(list)
        for index, word in enumerate(self.words):
            roles[word.wrong].append((False, index))
            for exception in word.exceptions:
                roles[exception].append((True, index))
        self._automaton = ahocorasick.Automaton()
        for phrase, phrase_roles in roles.items():
            self._automaton.add_word(phrase, (len(phrase), tuple(phrase_roles)))
        if roles:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.words)

    def find(self, text: str, *, year: int | None = None) -> list[Finding]:
        """Findings for every wrong form in ``text`` that applies to a text about ``year``."""
        if not self.words or not text:
            return []
        matches: list[tuple[int, int, int]] = []
        shields: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for last, (length, phrase_roles) in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            for is_exception, index in phrase_roles:
                if is_exception:
                    shields[index].append((start, end))
                elif self.words[index].applies_to(year):
                    matches.append((start, end, index))
        kept = []
        taken_until = -1
        for start, end, index in sorted(matches, key=lambda match: (match[0], match[0] - match[1])):
            if start < taken_until:
                continue
            shielding = shields.get(index)
            if shielding and any(s <= start and end <= e for s, e in shielding):
                continue
            word = self.words[index]
            kept.append(
                Finding(
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind=word.category,
                    severity=word.severity,
                    suggestion=word.suggestion,
                    rule=self._rules[index],
                    message=word.note,
                )
            )
            taken_until = end
        return kept


# --- The lists in the database -------------------------------------------------------------

_current: tuple[tuple, WordList] | None = None


def list_version() -> tuple:
    """Facts that change whenever an entry is added, changed or deleted."""
    entries = WordListEntry.objects.aggregate(count=Count("pk"), last=Max("pk"), updated=Max("updated_at"))
    last_change = WordListChange.objects.aggregate(last=Max("pk"))["last"]
    return (entries["count"], entries["last"], entries["updated"], last_change)


def current_wordlist() -> WordList:
    """The word lists as the database holds them now (rebuilt only when they changed)."""
    global _current
    version = list_version()
    if _current is None or _current[0] != version:
        _current = (version, WordList(Word.from_entry(entry) for entry in WordListEntry.objects.all()))
    return _current[1]


def forget_current_wordlist() -> None:
    global _current
    _current = None


@transaction.atomic
def save_entry(*, entry: WordListEntry, user) -> WordListChange | None:
    """Add or change an entry and record who did it, with its content before and after.

    Returns None (and records nothing) when nothing changed. Raises ValidationError for
    invalid content and PermissionDenied for anyone but an editor.
    """
    if not may_edit_wordlists(user):
        raise PermissionDenied(_("只有审核人可以修改检查词表。"))
    stored = WordListEntry.objects.select_for_update().filter(pk=entry.pk).first() if entry.pk else None
    entry.full_clean()
    before = stored.as_record() if stored is not None else None
    after = entry.as_record()
    if before == after:
        return None
    now = timezone.now()
    if stored is None:
        entry.created_at = now
    entry.updated_at = now
    entry.save()
    transaction.on_commit(forget_current_wordlist)
    return WordListChange.objects.create(
        entry=entry,
        wrong=entry.wrong,
        action=WordListAction.ADD if stored is None else WordListAction.CHANGE,
        actor=user,
        created_at=now,
        before=before,
        after=after,
    )


@transaction.atomic
def delete_entry(*, entry: WordListEntry, user) -> WordListChange:
    """Delete an entry, keeping its last content in the change log."""
    if not may_edit_wordlists(user):
        raise PermissionDenied(_("只有审核人可以修改检查词表。"))
    stored = WordListEntry.objects.select_for_update().get(pk=entry.pk)
    change = WordListChange.objects.create(
        entry_id=stored.pk,
        wrong=stored.wrong,
        action=WordListAction.DELETE,
        actor=user,
        created_at=timezone.now(),
        before=stored.as_record(),
        after=None,
    )
    stored.delete()
    transaction.on_commit(forget_current_wordlist)
    return change
