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
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress

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
    masks are ever needed, the others' revisions alone, and a single short term needs neither
    (see ``combine``).
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


class TermMatch:
    """Where one term was found, by revision id (public or not).

    ``sure`` revisions hold one of the term's phrases for certain; ``candidates`` may hold a
    long one (all its trigrams are in one of their codes) and are still to be checked.
    ``masks`` gives each revision's codes, ``headings`` those that hold it in a title or heading.
    Each is worked out from the phrases' postings when first asked for.
    """

    def __init__(self):
        self.exact: list[Posting] = []  # postings of the phrases of up to three characters
        self.long: list[tuple[set[int], Posting]] = []  # a long phrase's candidates, and its rarest trigram
        # The term's phrases that some public revision holds (or may hold).
        self.found: list[str] = []

    @property
    def single(self) -> Posting | None:
        """The posting of the term's only phrase when that is a gram (the common case), else None."""
        return self.exact[0] if len(self.exact) == 1 and not self.long and "masks" not in self.__dict__ else None

    @functools.cached_property
    def sure(self):
        return _union([posting.revisions for posting in self.exact])

    @functools.cached_property
    def candidates(self):
        return _union([revisions for revisions, _ in self.long])

    @functools.cached_property
    def masks(self) -> dict[int, int]:
        sources = [posting.masks for posting in self.exact] + [posting.masks for _, posting in self.long]
        if len(sources) == 1:
            return sources[0]
        merged: dict[int, int] = {}
        for revisions, masks in [(posting.revisions, posting.masks) for posting in self.exact] + [
            (revisions, posting.masks) for revisions, posting in self.long
        ]:
            for revision in revisions:
                merged[revision] = merged.get(revision, 0) | masks[revision]
        return merged

    @functools.cached_property
    def headings(self) -> set[int]:
        return _union(
            [posting.headings for posting in self.exact] + [posting.headings & found for found, posting in self.long]
        )

    def matched(self):
        """Every revision holding the term, or that may (copied only when there are both kinds)."""
        if self.sure and self.candidates:
            return self.sure | self.candidates
        return self.sure or self.candidates

    def masks_for(self, revisions: set[int]) -> dict[int, int]:
        """The codes of a few revisions (a page's): read from the packed arrays when the term is a single gram."""
        single = self.single
        if single is None or "masks" in single.__dict__:
            masks = self.masks
            return {revision: masks.get(revision, 0) for revision in revisions}
        entries = single.entries
        selector = list(map(revisions.__contains__, entries.revisions))
        return dict(zip(compress(entries.revisions, selector), compress(entries.masks, selector), strict=True))


def _union(sets: list):
    if not sets:
        return set()
    return sets[0] if len(sets) == 1 else set().union(*sets)


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
            if not all(found):
                continue
            if len(phrase) <= GRAM_LENGTHS[-1]:
                (posting,) = found
                match.exact.append(posting)
                revisions = posting.entries.revisions
            else:
                # A candidate holds every trigram; its codes and headings are bounded by the rarest one's.
                found.sort(key=len)
                revisions = set(found[0].entries.revisions)
                for other in found[1:]:
                    # Iterating the packed array: no set of the other trigram's revisions is built.
                    revisions = revisions.intersection(other.entries.revisions)
                if not revisions:
                    continue
                match.long.append((revisions, found[0]))
            if not public.isdisjoint(revisions):
                match.found.append(phrase)
        matches.append(match)
    return matches


@dataclass
class Hits:
    """The public revisions matching every term, and what the order, the counts and the filters need of them."""

    revisions: set[int]
    unchecked: set[int]  # revisions some term may still fail to hold (its long phrase not checked)
    # revisions by how many terms they hold in their title or headings (none: not listed)
    by_headings: dict[int, set[int]]
    # revision -> a key of its parts: a code mask read through PARTS_OF (one term), or part bits (several)
    part_keys: dict[int, int] | None = None
    part_table: list[int] | None = None
    # How many of ``revisions`` have each part key, when worked out without ``part_keys``.
    part_key_counts: Counter | None = None
    term: TermMatch | None = None  # the only term, whose masks give ``part_keys`` when needed

    def keys(self) -> dict[int, int]:
        if self.part_keys is None:
            self.part_keys = self.term.masks
        return self.part_keys

    def parts(self, revision: int) -> int:
        key = self.keys()[revision]
        return self.part_table[key] if self.part_table is not None else key


def combine(matches: list[TermMatch], corpus: Corpus) -> Hits:
    """The public revisions holding every term (or candidates for it)."""
    if not matches:
        return Hits(set(), set(), {})
    public = corpus.position.keys()
    if len(matches) == 1 and matches[0].single is not None:
        # One term, one gram: read straight from the packed arrays, in C, with no dict of masks.
        (match,) = matches
        entries = match.single.entries
        selector = list(map(corpus.position.__contains__, entries.revisions))
        revisions = set(compress(entries.revisions, selector))
        headings = revisions.intersection(entries.headings)
        counts = Counter(compress(entries.masks, selector))
        return Hits(revisions, set(), {1: headings} if headings else {}, None, PARTS_OF, counts, match)
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
        return Hits(revisions, unchecked, {1: headings} if headings else {}, None, PARTS_OF, None, match)
    heading_counts = Counter()
    for match in matches:
        heading_counts.update(revisions & match.headings)
    by_headings: dict[int, set[int]] = {}
    for revision, count in heading_counts.items():
        by_headings.setdefault(count, set()).add(revision)
    parts = {}
    masks = [match.masks for match in matches]
    for revision in revisions:
        common = -1
        for each in masks:
            common &= PARTS_OF[each[revision]]
        parts[revision] = common
    return Hits(revisions, unchecked, by_headings, parts, None)


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
    # Unfiltered, the groups are the hits' own (no copy).
    groups = [
        hits.by_headings[count] if revisions is hits.revisions else revisions & hits.by_headings[count]
        for count in sorted(hits.by_headings, reverse=True)
    ]
    # The rest is worked out only if a page reaches it; its size needs no pass.
    rest_size = len(revisions) - sum(map(len, groups))
    rest = functools.partial(revisions.difference, *groups)
    return Ranked([*((len(group), group) for group in groups), (rest_size, rest)], corpus)


class Ranked:
    """Corpus positions of a result, in order, as a sequence the paginator slices: one page is worked out, not all.

    Each group (reports with the same number of terms in their headings) is in corpus order and
    is read only when a page reaches it. A group holding most of the corpus is kept as the
    positions it lacks, so a phrase found in every report costs no sort of every report; its
    n-th position is found by bisection.
    """

    def __init__(self, groups: list[tuple[int, set[int] | Callable[[], set[int]]]], corpus: Corpus):
        self.groups = [(size, members) for size, members in groups if size]
        self.corpus = corpus
        self.read: dict[int, tuple[list[int] | None, list[int] | None]] = {}

    def __len__(self) -> int:
        return sum(size for size, _ in self.groups)

    def _positions(self, number: int) -> tuple[list[int] | None, list[int] | None]:
        """Group ``number`` as (its sorted positions, None), or (None, the positions it lacks) when it has most."""
        if number not in self.read:
            size, members = self.groups[number]
            group, position = members() if callable(members) else members, self.corpus.position
            if size * 2 > len(position):
                self.read[number] = (None, sorted(map(position.__getitem__, position.keys() - group)))
            else:
                self.read[number] = (sorted(map(position.__getitem__, group)), None)
        return self.read[number]

    @staticmethod
    def _nth(lacking: list[int], nth: int) -> int:
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
        for number, (size, _) in enumerate(self.groups):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                positions, lacking = self._positions(number)
                found += (
                    positions[low:high] if positions is not None else [self._nth(lacking, n) for n in range(low, high)]
                )
            offset += size
        return found


def _counted(values: dict[int, int], revisions: set[int], totals: Counter, missing: set[int] | None) -> Counter:
    """How many of ``revisions`` have each value: counting those ``missing`` from the corpus when they are given."""
    if missing is None:
        return Counter(map(values.__getitem__, revisions))
    counts = Counter(totals)
    counts.subtract(map(values.__getitem__, missing))
    return +counts


def facet_counts(hits: Hits, filters: Filters, corpus: Corpus) -> dict:
    """Counts per year, unit, region and part, each under the other facets' filters (so any can be changed)."""
    public = corpus.position.keys()
    missing: dict[int, set[int] | None] = {}

    def lacking(revisions: set[int]) -> set[int] | None:
        """The public revisions not in ``revisions`` when they are fewer (worked out once per set)."""
        if id(revisions) not in missing:
            missing[id(revisions)] = public - revisions if len(revisions) * 2 > len(public) else None
        return missing[id(revisions)]

    for_years = selected(hits, filters, corpus, skip="year")
    years = _counted(corpus.year_of, for_years, corpus.year_totals, lacking(for_years))
    for_units = selected(hits, filters, corpus, skip="unit")
    units = _counted(corpus.unit_of, for_units, corpus.unit_totals, lacking(for_units))
    for_regions = selected(hits, filters, corpus, skip="region")
    # Without a unit or region filter both count the same reports: count them once.
    by_unit = (
        units
        if for_regions is for_units
        else _counted(corpus.unit_of, for_regions, corpus.unit_totals, lacking(for_regions))
    )
    regions = Counter()
    for unit, count in by_unit.items():
        regions[corpus.unit_info[unit].region_id] += count
    for_parts = selected(hits, filters, corpus, skip="part")
    if for_parts is hits.revisions and hits.part_key_counts is not None:
        keys = hits.part_key_counts
    else:
        keys = Counter(map(hits.keys().__getitem__, for_parts))
    parts = dict.fromkeys(PARTS, 0)
    for key, count in keys.items():
        bits = hits.part_table[key] if hits.part_table is not None else key
        for part, bit in PART_BITS.items():
            if bits & bit:
                parts[part] += count
    return {"years": dict(years), "units": dict(units), "regions": dict(regions), "parts": parts}
