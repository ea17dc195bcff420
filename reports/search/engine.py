"""Running a search: which published reports match every term, where, in what order, and how many of each kind.

A phrase of one to three characters is a gram: its postings say exactly which revisions hold
it and in which codes. A longer phrase holds all its trigrams, so the revisions whose same
code holds every one of them (read from the postings the same way) include every revision
holding the phrase; they are then checked against the text itself, in the database, when
there are at most ``CHECK_LIMIT`` of them. Above that the count is an upper bound, said so
on the page (约), and only the reports on the page shown are checked: no report that holds
the phrase is ever missed, and no report shown lacks it.

All of it runs over ``corpus.Corpus``: the reports public at this public state.
"""

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


@dataclass
class TermMatch:
    """Where one term was found: corpus position -> code mask, sure or still to be checked."""

    sure: dict[int, int] = field(default_factory=dict)
    unchecked: dict[int, int] = field(default_factory=dict)
    # The term's phrases that some public report holds (or may hold).
    found: list[str] = field(default_factory=list)

    def mask(self, index: int) -> int:
        return self.sure.get(index, 0) | self.unchecked.get(index, 0)


def _trigrams(phrase: str) -> list[str]:
    starts = range(len(phrase) - 2)
    if len(starts) > MAX_TRIGRAMS:
        step = (len(starts) - 1) / (MAX_TRIGRAMS - 1)
        starts = sorted({round(step * number) for number in range(MAX_TRIGRAMS)})
    return [phrase[start : start + 3] for start in starts]


def _grams_of(phrase: str) -> list[str]:
    return [phrase] if len(phrase) <= GRAM_LENGTHS[-1] else _trigrams(phrase)


def read_postings(grams: set[str], corpus: Corpus) -> dict[str, dict[int, int]]:
    """Each gram's public revisions, as corpus position -> code mask."""
    entries: dict[str, Entries] = {gram: Entries() for gram in grams}
    rows = SearchPosting.objects.filter(gram__in=sorted(grams)).order_by("gram", "block")
    for gram, data in rows.values_list("gram", "entries"):
        entries[gram].extend(data)
    position = corpus.position
    return {
        gram: {
            position[revision]: mask
            for revision, mask in zip(found.revisions, found.masks, strict=True)
            if revision in position
        }
        for gram, found in entries.items()
    }


def _all_of(postings: list[dict[int, int]]) -> dict[int, int]:
    """Positions in every posting, with the codes common to all."""
    postings = sorted(postings, key=len)
    found = dict(postings[0])
    for posting in postings[1:]:
        found = {index: mask & posting[index] for index, mask in found.items() if index in posting}
        found = {index: mask for index, mask in found.items() if mask}
    return found


def match_terms(terms: list[Term], corpus: Corpus) -> list[TermMatch]:
    wanted = {gram for term in terms for phrase in term.phrases for gram in _grams_of(phrase)}
    postings = read_postings(wanted, corpus) if wanted else {}
    matches = []
    for term in terms:
        match = TermMatch()
        for phrase in term.phrases:
            grams = _grams_of(phrase)
            if any(not postings[gram] for gram in grams):
                continue
            found = _all_of([postings[gram] for gram in grams])
            if not found:
                continue
            match.found.append(phrase)
            into = match.sure if len(grams) == 1 and grams[0] == phrase else match.unchecked
            for index, mask in found.items():
                into[index] = into.get(index, 0) | mask
        for index, mask in list(match.unchecked.items()):
            left = mask & ~match.sure.get(index, 0)
            if left:
                match.unchecked[index] = left
            else:
                del match.unchecked[index]
        matches.append(match)
    return matches


def check(terms: list[Term], matches: list[TermMatch], indexes, corpus: Corpus) -> None:
    """Check the unchecked candidates at ``indexes`` against the text, in the database; keep what holds."""
    revision_of = corpus.revision_ids
    for term, match in zip(terms, matches, strict=True):
        pending = {index: match.unchecked[index] for index in indexes if index in match.unchecked}
        if not pending:
            continue
        by_revision = {revision_of[index]: index for index in pending}
        confirmed: dict[int, int] = {}
        for phrase in term.phrases:
            if len(phrase) <= GRAM_LENGTHS[-1]:
                continue
            rows = (
                SearchText.objects.filter(revision_id__in=list(by_revision))
                .annotate(at=StrIndex(Coalesce(NullIf("folded", Value("")), "text"), Value(phrase)))
                .filter(at__gt=0)
                .values_list("revision_id", "code")
            )
            for revision_id, code in rows:
                index = by_revision[revision_id]
                confirmed[index] = confirmed.get(index, 0) | (pending[index] & (1 << code))
        for index in pending:
            del match.unchecked[index]
            if confirmed.get(index):
                match.sure[index] = match.sure.get(index, 0) | confirmed[index]


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    unit: int | None = None
    region: int | None = None
    part: str | None = None


@dataclass
class Hits:
    """The reports matching every term, and what the page, the counts and the order need to know of them."""

    indexes: list[int]
    headings: dict[int, int]  # index -> how many terms it holds in its title or headings
    parts: dict[int, int]  # index -> the parts holding every term (bits of PART_BITS)
    unchecked: set[int]  # indexes some term may still fail to hold


def parts_of(mask: int) -> int:
    """The statutory parts (bits of ``PART_BITS``) whose codes are in a code mask."""
    return sum(bit for part, bit in PART_BITS.items() if mask & PART_MASKS[part])


# parts_of for every code mask, looked up rather than worked out once per report.
_PARTS_OF = [parts_of(mask) for mask in range(1 << len(CODES))]


def _merged(match: TermMatch) -> dict[int, int]:
    if not match.unchecked:
        return match.sure
    merged = dict(match.unchecked)
    for index, mask in match.sure.items():
        merged[index] = merged.get(index, 0) | mask
    return merged


def combine(matches: list[TermMatch]) -> Hits:
    if not matches:
        return Hits([], {}, {}, set())
    # Where a term is both sure and unchecked in a report, its masks are disjoint: the sure one and the rest.
    found = [_merged(match) for match in matches]
    if len(matches) == 1:
        (match,), (each,) = matches, found
        headings = {index: int(bool(mask & HEADING_MASK)) for index, mask in each.items()}
        parts = {index: _PARTS_OF[mask] for index, mask in each.items()}
        unchecked = {index for index in match.unchecked if index not in match.sure}
        return Hits(sorted(each), headings, parts, unchecked)
    candidates = set(min(found, key=len))
    for each in found:
        candidates.intersection_update(each)
    headings, parts, unchecked = {}, {}, set()
    for index in candidates:
        heading_terms, common = 0, -1
        for match in matches:
            mask = match.mask(index)
            heading_terms += bool(mask & HEADING_MASK)
            common &= _PARTS_OF[mask]
            if index not in match.sure:
                unchecked.add(index)
        headings[index] = heading_terms
        parts[index] = common
    return Hits(sorted(candidates), headings, parts, unchecked)


def _tests(filters: Filters, corpus: Corpus, parts: dict[int, int]) -> dict:
    """One test per active filter, by facet name."""
    tests = {}
    if filters.year is not None:
        tests["year"] = lambda index: corpus.years[index] == filters.year
    if filters.unit is not None:
        tests["unit"] = lambda index: corpus.units[index] == filters.unit
    if filters.region is not None:
        tests["region"] = lambda index: corpus.region_of(index) == filters.region
    if filters.part is not None:
        tests["part"] = lambda index: bool(parts[index] & PART_BITS[filters.part])
    return tests


def selected(hits: Hits, filters: Filters, corpus: Corpus, *, skip: str = "") -> list[int]:
    """The hits that pass every active filter but ``skip``."""
    tests = [test for name, test in _tests(filters, corpus, hits.parts).items() if name != skip]
    if not tests:
        return hits.indexes
    return [index for index in hits.indexes if all(test(index) for test in tests)]


def ranked(indexes: list[int], headings: dict[int, int]) -> list[int]:
    """Reports holding more terms in their titles and headings first, then newest first (corpus order)."""
    buckets: dict[int, list[int]] = {}
    for index in indexes:
        buckets.setdefault(headings[index], []).append(index)
    return [index for count in sorted(buckets, reverse=True) for index in sorted(buckets[count])]


def facet_counts(hits: Hits, filters: Filters, corpus: Corpus) -> dict:
    """Counts per year, unit, region and part, each under the other facets' filters (so any can be changed)."""
    years = Counter(map(corpus.years.__getitem__, selected(hits, filters, corpus, skip="year")))
    units = Counter(map(corpus.units.__getitem__, selected(hits, filters, corpus, skip="unit")))
    regions = Counter()
    for unit, count in Counter(map(corpus.units.__getitem__, selected(hits, filters, corpus, skip="region"))).items():
        regions[corpus.unit_info[unit].region_id] += count
    part_masks = Counter(map(hits.parts.__getitem__, selected(hits, filters, corpus, skip="part")))
    parts = {part: sum(count for mask, count in part_masks.items() if mask & bit) for part, bit in PART_BITS.items()}
    return {"years": dict(years), "units": dict(units), "regions": dict(regions), "parts": parts}
