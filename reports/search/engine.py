"""Running a search: which published reports match every term, where, in what order, and how many of each kind.

A phrase of one to three characters is a gram: its postings say exactly which revisions hold
it and in which codes. A longer phrase holds all its trigrams in the code it stands in, so the
reports whose same code holds every one of them (read from the postings the same way) include
every report holding the phrase; they are then checked against the text itself, in the
database, when there are at most ``CHECK_LIMIT`` of them. Above that the count is an upper
bound, said so on the page (约), and only the reports on the page shown are checked: no
report that holds the phrase is ever missed, and no report shown lacks it.

Everything is an array over the corpus's positions (``corpus.Corpus``, the reports public at
this public state): a term's code masks, the hits, their order and counts are worked out on
whole arrays by numpy, so a phrase found in every one of 24,000 reports costs about as much
as a rare one, and no Python object per report is made.
"""

from dataclasses import dataclass

import numpy as np
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf, StrIndex

from reports.models import SearchPosting, SearchText
from reports.search.corpus import Corpus
from reports.search.postings import GRAM_LENGTHS, Entries
from reports.search.query import Term
from reports.search.text import CODES, HEADING_MASK, PART_MASKS, PARTS

PART_BITS = {part: 1 << number for number, part in enumerate(PARTS)}

# Candidate reports checked against their text; above this a long phrase's count is an upper bound.
CHECK_LIMIT = 400
# Trigrams of a long phrase read from the postings: enough to leave almost no false candidates.
MAX_TRIGRAMS = 6

MASK = np.uint16  # one bit per code of reports.search.text


def parts_of(mask: int) -> int:
    """The statutory parts (bits of ``PART_BITS``) whose codes are in a code mask."""
    return sum(bit for part, bit in PART_BITS.items() if mask & PART_MASKS[part])


# parts_of for every code mask, looked up rather than worked out once per report.
PARTS_OF = np.array([parts_of(mask) for mask in range(1 << len(CODES))], dtype=np.uint8)


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    unit: int | None = None
    region: int | None = None
    part: str | None = None


def spread(entries: Entries, corpus: Corpus) -> np.ndarray:
    """A posting's code masks at the corpus's positions (0 where the report does not hold the gram)."""
    masks = np.zeros(len(corpus), dtype=MASK)
    if len(entries):
        positions = corpus.positions(np.frombuffer(entries.revisions, dtype=np.uint32).astype(np.int64))
        public = positions >= 0
        masks[positions[public]] = np.frombuffer(entries.masks, dtype=MASK)[public]
    return masks


class TermMatch:
    """Where one term was found, as code masks per corpus position.

    ``sure`` holds the codes where one of the term's phrases is for certain; ``maybe`` the codes
    where a long phrase may be (every trigram is there), still to be checked against the text.
    ``found`` lists the term's phrases that some public report holds (or may hold).
    """

    def __init__(self, size: int):
        self.sure = np.zeros(size, dtype=MASK)
        self.maybe = np.zeros(size, dtype=MASK)
        self.found: list[str] = []

    def codes(self) -> np.ndarray:
        return self.sure | self.maybe

    def unconfirmed(self) -> np.ndarray:
        """Positions that hold the term only if a long phrase is borne out by the text."""
        return (self.maybe != 0) & (self.sure == 0)


def _trigrams(phrase: str) -> list[str]:
    starts = range(len(phrase) - 2)
    if len(starts) > MAX_TRIGRAMS:
        step = (len(starts) - 1) / (MAX_TRIGRAMS - 1)
        starts = sorted({round(step * number) for number in range(MAX_TRIGRAMS)})
    return [phrase[start : start + 3] for start in starts]


def _grams_of(phrase: str) -> list[str]:
    return [phrase] if len(phrase) <= GRAM_LENGTHS[-1] else _trigrams(phrase)


def read_postings(grams: set[str]) -> dict[str, Entries]:
    """Each gram's revisions (public or not) with their code masks, in one query."""
    entries: dict[str, Entries] = {gram: Entries() for gram in grams}
    rows = SearchPosting.objects.filter(gram__in=sorted(grams)).order_by("gram", "block")
    for gram, data in rows.values_list("gram", "entries"):
        entries[gram].extend(data)
    return entries


def match_terms(terms: list[Term], corpus: Corpus) -> list[TermMatch]:
    wanted = {gram for term in terms for phrase in term.phrases for gram in _grams_of(phrase)}
    postings = read_postings(wanted) if wanted else {}
    spread_of: dict[str, np.ndarray] = {}
    matches = []
    for term in terms:
        match = TermMatch(len(corpus))
        for phrase in term.phrases:
            grams = _grams_of(phrase)
            if not all(len(postings[gram]) for gram in grams):
                continue
            codes = None
            for gram in grams:
                if gram not in spread_of:
                    spread_of[gram] = spread(postings[gram], corpus)
                codes = spread_of[gram] if codes is None else codes & spread_of[gram]
            if not codes.any():
                continue
            if len(phrase) <= GRAM_LENGTHS[-1]:
                match.sure |= codes
            else:
                match.maybe |= codes
            match.found.append(phrase)
        matches.append(match)
    return matches


@dataclass
class Hits:
    """The public reports matching every term, as arrays over the corpus's positions."""

    matched: np.ndarray  # bool: holds every term (or may, see ``unchecked``)
    unchecked: np.ndarray  # bool: some term's long phrase is still to be checked there
    headings: np.ndarray  # uint8: how many terms it holds in its title or headings
    parts: np.ndarray  # uint8: the statutory parts (PART_BITS) holding every term

    @property
    def count(self) -> int:
        return int(np.count_nonzero(self.matched))


def combine(matches: list[TermMatch], corpus: Corpus) -> Hits:
    """The public reports holding every term (or candidates for it)."""
    size = len(corpus)
    if not matches:
        nothing = np.zeros(size, dtype=bool)
        return Hits(nothing, nothing, np.zeros(size, dtype=np.uint8), np.zeros(size, dtype=np.uint8))
    matched = np.ones(size, dtype=bool)
    unchecked = np.zeros(size, dtype=bool)
    headings = np.zeros(size, dtype=np.uint8)
    parts = np.full(size, 0xFF, dtype=np.uint8)
    for match in matches:
        codes = match.codes()
        matched &= codes != 0
        unchecked |= match.unconfirmed()
        headings += (codes & HEADING_MASK) != 0
        parts &= PARTS_OF[codes]
    return Hits(matched, unchecked & matched, headings, parts)


def check(terms: list[Term], matches: list[TermMatch], positions: np.ndarray, corpus: Corpus) -> None:
    """Check the long phrases at ``positions`` against the texts, in the database; keep the codes that hold."""
    for term, match in zip(terms, matches, strict=True):
        pending = positions[match.unconfirmed()[positions]]
        if not len(pending):
            continue
        index_of = {revision: index for index, revision in enumerate(corpus.revision_ids[pending].tolist())}
        confirmed = np.zeros(len(pending), dtype=MASK)
        for phrase in term.phrases:
            if len(phrase) <= GRAM_LENGTHS[-1]:
                continue
            rows = (
                SearchText.objects.filter(revision_id__in=sorted(index_of))
                .annotate(at=StrIndex(Coalesce(NullIf("folded", Value("")), "text"), Value(phrase)))
                .filter(at__gt=0)
                .values_list("revision_id", "code")
            )
            for revision, code in rows:
                confirmed[index_of[revision]] |= 1 << code
        match.sure[pending] |= confirmed & match.maybe[pending]
        match.maybe[pending] = 0


def selected(hits: Hits, filters: Filters, corpus: Corpus, *, skip: str = "") -> np.ndarray:
    """The hits that pass every active filter but ``skip``."""
    found = hits.matched
    if skip != "year" and filters.year is not None:
        found = found & (corpus.years == filters.year)
    if skip != "unit" and filters.unit is not None:
        found = found & (corpus.units == filters.unit)
    if skip != "region" and filters.region is not None:
        found = found & (corpus.regions == filters.region)
    if skip != "part" and filters.part is not None:
        found = found & ((hits.parts & PART_BITS[filters.part]) != 0)
    return found


def ranked(chosen: np.ndarray, hits: Hits) -> np.ndarray:
    """Positions of the chosen hits: more terms in their titles and headings first, then newest first."""
    positions = np.flatnonzero(chosen)
    # A stable sort keeps the corpus order (newest first) among equals.
    return positions[np.argsort(-hits.headings[positions].astype(np.int16), kind="stable")]


def _counted(values: np.ndarray, chosen: np.ndarray) -> dict[int, int]:
    """How many of the chosen positions have each value."""
    found, counts = np.unique(values[chosen], return_counts=True)
    return dict(zip(found.tolist(), counts.tolist(), strict=True))


def facet_counts(hits: Hits, filters: Filters, corpus: Corpus) -> dict:
    """Counts per year, unit, region and part, each under the other facets' filters (so any can be changed)."""
    for_parts = hits.parts[selected(hits, filters, corpus, skip="part")]
    return {
        "years": _counted(corpus.years, selected(hits, filters, corpus, skip="year")),
        "units": _counted(corpus.units, selected(hits, filters, corpus, skip="unit")),
        "regions": _counted(corpus.regions, selected(hits, filters, corpus, skip="region")),
        "parts": {part: int(np.count_nonzero(for_parts & bit)) for part, bit in PART_BITS.items()},
    }
