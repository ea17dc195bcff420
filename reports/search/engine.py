"""Running a search: which published reports match every term, where, in what order, and how many of each kind.

A phrase of one to three characters is a gram: its postings say exactly which revisions hold
it and in which codes. A longer phrase holds all its trigrams, so the revisions whose same
code holds every one of them (read from the postings the same way) include every revision
holding the phrase; they are then checked against the text itself, in the database, when
there are at most ``CHECK_LIMIT`` of them. Above that the count is an upper bound, said so
on the page (约), and only the reports on the page shown are checked: no report that holds
the phrase is ever missed, and no report shown lacks it.

Everything is keyed by revision id and done with set and dict operations (which run in C),
with one pass in Python over the hits where masks matter: a phrase found in every one of
24,000 reports costs a few milliseconds. Results are drawn from ``corpus.Corpus``, the
reports public at this public state.
"""

import functools
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf, StrIndex

from reports.models import SearchPosting, SearchText
from reports.search.corpus import Corpus
from reports.search.postings import GRAM_LENGTHS, Entries
from reports.search.query import Term
from reports.search.text import CODES, HEADING_MASK, PART_MASKS, PARTS

PART_BITS = {part: 1 << number for number, part in enumerate(PARTS)}

# Candidate revisions checked against their text; above this a long phrase's count is an upper bound.
CHECK_LIMIT = 400
# Trigrams of a long phrase read from the postings: enough to leave almost no false candidates.
MAX_TRIGRAMS = 6


def parts_of(mask: int) -> int:
    """The statutory parts (bits of ``PART_BITS``) whose codes are in a code mask."""
    return sum(bit for part, bit in PART_BITS.items() if mask & PART_MASKS[part])


# parts_of for every code mask, looked up rather than worked out once per report.
PARTS_OF = [parts_of(mask) for mask in range(1 << len(CODES))]


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    unit: int | None = None
    region: int | None = None
    part: str | None = None


class Posting:
    """Revisions holding a gram (public or not): their code masks, and those holding it in a title or heading.

    Built from the packed arrays on first use: of a long phrase's trigrams only the rarest's
    masks are ever needed, the others' revisions alone.
    """

    def __init__(self, entries: Entries):
        self.entries = entries

    def __len__(self) -> int:
        return len(self.entries)

    @functools.cached_property
    def masks(self) -> dict[int, int]:
        return dict(zip(self.entries.revisions, self.entries.masks, strict=True))

    @functools.cached_property
    def revisions(self):
        return self.masks.keys() if "masks" in self.__dict__ else set(self.entries.revisions)

    @functools.cached_property
    def headings(self) -> set[int]:
        return set(self.entries.headings)


@dataclass
class TermMatch:
    """Where one term was found, by revision id (public or not).

    ``sure`` revisions hold one of the term's phrases for certain; ``candidates`` may hold a
    long one (all its trigrams are in one of their codes) and are still to be checked.
    ``masks`` gives each revision's codes, ``headings`` those that hold it in a title or heading.
    """

    sure: set[int] = field(default_factory=set)
    candidates: set[int] = field(default_factory=set)
    masks: dict[int, int] = field(default_factory=dict)
    headings: set[int] = field(default_factory=set)
    # The term's phrases that some public revision holds (or may hold).
    found: list[str] = field(default_factory=list)

    def matched(self):
        """Every revision holding the term, or that may (copied only when there are both kinds)."""
        if self.sure and self.candidates:
            return self.sure | self.candidates
        return self.sure or self.candidates

    def add(self, revisions, masks: dict[int, int], headings, *, sure: bool) -> None:
        if not self.masks:
            # The common case, one phrase: nothing copied.
            self.masks, self.headings = masks, headings
            if sure:
                self.sure = revisions
            else:
                self.candidates = revisions
            return
        self.masks = dict(self.masks)
        for revision in revisions:
            self.masks[revision] = self.masks.get(revision, 0) | masks[revision]
        if sure:
            self.sure = self.sure | revisions
        else:
            self.candidates = self.candidates | revisions
        self.headings = self.headings | headings


def _trigrams(phrase: str) -> list[str]:
    starts = range(len(phrase) - 2)
    if len(starts) > MAX_TRIGRAMS:
        step = (len(starts) - 1) / (MAX_TRIGRAMS - 1)
        starts = sorted({round(step * number) for number in range(MAX_TRIGRAMS)})
    return [phrase[start : start + 3] for start in starts]


def _grams_of(phrase: str) -> list[str]:
    return [phrase] if len(phrase) <= GRAM_LENGTHS[-1] else _trigrams(phrase)


def read_postings(grams: set[str]) -> dict[str, Posting]:
    """Each gram's revisions (public or not), in one query."""
    entries: dict[str, Entries] = {gram: Entries() for gram in grams}
    rows = SearchPosting.objects.filter(gram__in=sorted(grams)).order_by("gram", "block")
    for gram, data in rows.values_list("gram", "entries"):
        entries[gram].extend(data)
    return {gram: Posting(found) for gram, found in entries.items()}


def match_terms(terms: list[Term], corpus: Corpus) -> list[TermMatch]:
    wanted = {gram for term in terms for phrase in term.phrases for gram in _grams_of(phrase)}
    postings = read_postings(wanted) if wanted else {}
    public = corpus.position.keys()
    matches = []
    for term in terms:
        match = TermMatch()
        for phrase in term.phrases:
            found = [postings[gram] for gram in _grams_of(phrase)]
            if len(found) == 1 and len(phrase) <= GRAM_LENGTHS[-1]:
                (posting,) = found
                revisions, sure = posting.masks.keys(), True
            else:
                # A candidate holds every trigram; its codes and headings are bounded by the rarest one's.
                found.sort(key=lambda posting: len(posting.masks))
                posting = found[0]
                revisions = set(posting.masks.keys())
                for other in found[1:]:
                    revisions.intersection_update(other.masks.keys())
                sure = False
            if not revisions:
                continue
            if not public.isdisjoint(revisions):
                match.found.append(phrase)
            match.add(
                revisions, posting.masks, posting.headings & revisions if not sure else posting.headings, sure=sure
            )
        matches.append(match)
    return matches


@dataclass
class Hits:
    """The public revisions matching every term, and what the order, the counts and the filters need of them."""

    revisions: set[int]
    unchecked: set[int]  # revisions some term may still fail to hold (its long phrase not checked)
    # revision -> a key of its parts: a code mask read through PARTS_OF (one term), or part bits (several)
    part_keys: dict[int, int]
    part_table: list[int] | None
    # revisions by how many terms they hold in their title or headings (none: not listed)
    by_headings: dict[int, set[int]]

    def parts(self, revision: int) -> int:
        key = self.part_keys[revision]
        return self.part_table[key] if self.part_table is not None else key


def combine(matches: list[TermMatch], corpus: Corpus) -> Hits:
    """The public revisions holding every term (or candidates for it)."""
    if not matches:
        return Hits(set(), set(), {}, None, {})
    public = corpus.position.keys()
    keys = [match.matched() for match in matches]
    revisions = public & min(keys, key=len)
    for each in keys if len(keys) > 1 else ():
        revisions.intersection_update(each)
    unchecked = set()
    for match in matches:
        if match.candidates:
            unchecked |= (revisions & match.candidates) - match.sure if match.sure else revisions
    if len(matches) == 1:
        (match,) = matches
        headings = revisions & match.headings
        return Hits(revisions, unchecked, match.masks, PARTS_OF, {1: headings} if headings else {})
    heading_counts = Counter()
    for match in matches:
        heading_counts.update(revisions & match.headings)
    by_headings: dict[int, set[int]] = {}
    for revision, count in heading_counts.items():
        by_headings.setdefault(count, set()).add(revision)
    parts = {}
    for revision in revisions:
        common = -1
        for match in matches:
            common &= PARTS_OF[match.masks[revision]]
        parts[revision] = common
    return Hits(revisions, unchecked, parts, None, by_headings)


def check(terms: list[Term], matches: list[TermMatch], revisions: set[int]) -> None:
    """Check the candidates among ``revisions`` against their text, in the database; keep the codes that hold."""
    for term, match in zip(terms, matches, strict=True):
        pending = (revisions & match.candidates) - match.sure
        if not pending:
            continue
        confirmed: dict[int, int] = {}
        for phrase in term.phrases:
            if len(phrase) <= GRAM_LENGTHS[-1]:
                continue
            rows = (
                SearchText.objects.filter(revision_id__in=sorted(pending))
                .annotate(at=StrIndex(Coalesce(NullIf("folded", Value("")), "text"), Value(phrase)))
                .filter(at__gt=0)
                .values_list("revision_id", "code")
            )
            for revision, code in rows:
                confirmed[revision] = confirmed.get(revision, 0) | (match.masks[revision] & (1 << code))
        match.candidates = match.candidates - pending
        match.sure, match.masks, match.headings = set(match.sure), dict(match.masks), set(match.headings)
        for revision in pending:
            if confirmed.get(revision):
                match.sure.add(revision)
                match.masks[revision] = confirmed[revision]
                if not confirmed[revision] & HEADING_MASK:
                    match.headings.discard(revision)
            else:
                match.headings.discard(revision)


def selected(hits: Hits, filters: Filters, corpus: Corpus, *, skip: str = "") -> set[int]:
    """The hits that pass every active filter but ``skip`` (``hits.revisions`` itself when none applies)."""
    found = hits.revisions
    if skip != "year" and filters.year is not None:
        found = found & corpus.by_year.get(filters.year, set())
    if skip != "unit" and filters.unit is not None:
        found = found & corpus.by_unit.get(filters.unit, set())
    if skip != "region" and filters.region is not None:
        found = found & corpus.by_region.get(filters.region, set())
    if skip != "part" and filters.part is not None:
        bit = PART_BITS[filters.part]
        found = {revision for revision in found if hits.parts(revision) & bit}
    return found


def ranked(revisions: set[int], hits: Hits, corpus: Corpus) -> "Ranked":
    """Reports holding more terms in their titles and headings first, then newest first (corpus positions)."""
    groups = [revisions & hits.by_headings[count] for count in sorted(hits.by_headings, reverse=True)]
    rest = revisions.difference(*hits.by_headings.values())
    return Ranked([group for group in [*groups, rest] if group], corpus)


class Ranked:
    """Corpus positions of a result, in order, as a sequence the paginator slices: one page is worked out, not all.

    Each group (reports with the same number of terms in their headings) is in corpus order. A
    group holding most of the corpus is kept as the positions it lacks, so a phrase found in
    every report costs no sort of every report; its n-th position is found by bisection.
    """

    def __init__(self, groups: list[set[int]], corpus: Corpus):
        self.groups = []
        everyone = len(corpus)
        position = corpus.position.__getitem__
        for group in groups:
            if len(group) * 2 > everyone:
                lacking = sorted(map(position, corpus.position.keys() - group))
                self.groups.append((len(group), None, lacking))
            else:
                self.groups.append((len(group), sorted(map(position, group)), None))

    def __len__(self) -> int:
        return sum(size for size, _, _ in self.groups)

    def _nth(self, lacking: list[int], nth: int) -> int:
        """The nth position (from 0) of 0, 1, 2, … that is not in the sorted ``lacking``."""
        low, high = nth, nth + len(lacking)
        while low < high:  # the smallest p with p + 1 - (lacking positions <= p) > nth
            middle = (low + high) // 2
            if middle + 1 - bisect_right(lacking, middle) > nth:
                high = middle
            else:
                low = middle + 1
        return low

    def __getitem__(self, wanted):
        if isinstance(wanted, int):
            return self[wanted : wanted + 1][0]
        start, stop, _ = wanted.indices(len(self))
        found = []
        offset = 0
        for size, positions, lacking in self.groups:
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                found += (
                    positions[low:high] if positions is not None else [self._nth(lacking, n) for n in range(low, high)]
                )
            offset += size
        return found


def _counted(values: dict[int, int], revisions: set[int], totals: Counter, public) -> Counter:
    """How many of ``revisions`` have each value; counting those lacking when that is fewer."""
    if len(revisions) * 2 <= len(public):
        return Counter(map(values.__getitem__, revisions))
    counts = Counter(totals)
    counts.subtract(map(values.__getitem__, public - revisions))
    return +counts


def facet_counts(hits: Hits, filters: Filters, corpus: Corpus) -> dict:
    """Counts per year, unit, region and part, each under the other facets' filters (so any can be changed)."""
    public = corpus.position.keys()
    years = _counted(corpus.year_of, selected(hits, filters, corpus, skip="year"), corpus.year_totals, public)
    for_units = selected(hits, filters, corpus, skip="unit")
    units = _counted(corpus.unit_of, for_units, corpus.unit_totals, public)
    for_regions = selected(hits, filters, corpus, skip="region")
    # Without a unit or region filter both count the same reports: count them once.
    by_unit = units if for_regions is for_units else _counted(corpus.unit_of, for_regions, corpus.unit_totals, public)
    regions = Counter()
    for unit, count in by_unit.items():
        regions[corpus.unit_info[unit].region_id] += count
    keys = Counter(map(hits.part_keys.__getitem__, selected(hits, filters, corpus, skip="part")))
    parts = dict.fromkeys(PARTS, 0)
    for key, count in keys.items():
        bits = hits.part_table[key] if hits.part_table is not None else key
        for part, bit in PART_BITS.items():
            if bits & bit:
                parts[part] += count
    return {"years": dict(years), "units": dict(units), "regions": dict(regions), "parts": parts}
