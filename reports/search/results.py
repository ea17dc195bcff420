"""A search from start to page: terms, matches, filters, counts, order, the page's passages, a suggestion."""

import functools
import heapq
import operator
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.core.paginator import Page, Paginator
from django.urls import reverse

from reports.models import SearchText, SectionKind
from reports.search import engine, vocabulary
from reports.search.corpus import Corpus, Unit
from reports.search.excerpts import best_passage, excerpt, highlight
from reports.search.query import TYPED, Term, parse
from reports.search.text import CODES, FRONT, PARTS, TITLE, part_of

PER_PAGE = 20
TOP_UNITS = 10


@dataclass
class Result:
    url: str
    title: str
    excerpt: str
    unit: str
    published_at: datetime
    part: str | None

    @property
    def part_label(self) -> str:
        return SectionKind(self.part).label if self.part else ""


@dataclass
class Facets:
    years: list[tuple[int, int]] = field(default_factory=list)
    units: list[tuple[Unit, int]] = field(default_factory=list)
    regions: list[tuple[Unit, int]] = field(default_factory=list)
    parts: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Results:
    terms: list[Term]
    count: int
    exact: bool
    page: Page
    results: list[Result]
    facets: Facets
    # (typed term, the other phrases that found something for it, how)
    meanings: list[tuple[str, list[tuple[str, str]]]]
    suggestion: str | None = None


def _page(ordered, number) -> Page:
    # The view turns an invalid page number into a 404.
    return Paginator(ordered, PER_PAGE).page(number or 1)


def _top(counts: dict[int, int], chosen: int | None, corpus: Corpus) -> list[tuple[int, int]]:
    """The ``TOP_UNITS`` units (or regions) with most results, in their order among equals, and the chosen one."""
    # Most results first, then the units' own order; keys built by map and zip, which run in C.
    ranks = corpus.unit_rank
    keys = zip(map(operator.neg, counts.values()), map(ranks.__getitem__, counts.keys()), counts.keys(), strict=True)
    top = [(unit, -negative) for negative, _, unit in heapq.nsmallest(TOP_UNITS, keys)]
    if chosen is not None and chosen not in dict(top) and chosen in counts:
        top.append((chosen, counts[chosen]))
    return top


def _facets(counts: dict, filters: engine.Filters, corpus: Corpus) -> Facets:
    top = _top(counts["units"], filters.unit, corpus)
    regions = _top(counts["regions"], filters.region, corpus)
    return Facets(
        years=sorted(counts["years"].items(), reverse=True),
        units=[(corpus.unit_info[unit], count) for unit, count in top],
        regions=[(corpus.unit_info[region], count) for region, count in regions] if len(regions) > 1 else [],
        parts=[(part, counts["parts"][part]) for part in PARTS if counts["parts"][part]],
    )


@functools.lru_cache(maxsize=8192)
def _article_url(year: int, slug: str) -> str:
    return reverse("reports:report_detail", kwargs={"year": year, "org": slug})


def _texts_of(codes: dict[int, int]) -> dict[int, dict[int, tuple[str, str]]]:
    """(text, folded text) of the title, the front matter and the codes in each revision's mask (``codes``)."""
    wanted = {revision: mask | (1 << TITLE) | (1 << FRONT) for revision, mask in codes.items()}
    every = functools.reduce(operator.or_, wanted.values(), 0)
    rows = SearchText.objects.filter(
        revision_id__in=list(wanted), code__in=[code for code in CODES if every & (1 << code)]
    ).values_list("revision_id", "code", "text", "folded")
    texts: dict[int, dict[int, tuple[str, str]]] = {}
    for revision_id, code, text, folded in rows:
        if wanted[revision_id] & (1 << code):
            texts.setdefault(revision_id, {})[code] = (text, folded or text)
    return texts


def _holds_every_term(texts: dict[int, tuple[str, str]], terms: list[Term]) -> bool:
    return all(any(phrase in folded for _, folded in texts.values() for phrase in term.phrases) for term in terms)


def _results(page: Page, hits: engine.Hits, terms: list[Term], matches, corpus: Corpus) -> list[Result]:
    positions = page.object_list
    nothing = np.zeros(len(positions), dtype=engine.MASK)
    codes = functools.reduce(operator.or_, [match.codes()[positions] for match in matches], nothing)
    revisions = corpus.revision_ids[positions].tolist()
    texts = _texts_of(dict(zip(revisions, codes.tolist(), strict=True)))
    phrase_sets = [term.phrases for term in terms]
    every_phrase = [phrase for phrases in phrase_sets for phrase in phrases]
    found = []
    rows = zip(
        positions.tolist(),
        revisions,
        hits.unchecked[positions].tolist(),
        corpus.years[positions].tolist(),
        corpus.units[positions].tolist(),
        strict=True,
    )
    for index, revision, unchecked, year, unit_id in rows:
        own = texts.get(revision, {})
        if TITLE not in own or (unchecked and not _holds_every_term(own, terms)):
            continue  # a candidate of a long phrase that its text does not bear out
        unit = corpus.unit_info[unit_id]
        body = {code: pair for code, pair in own.items() if code != TITLE}
        code, passage = best_passage(body, phrase_sets) or (None, next((text for text, _ in body.values()), ""))
        found.append(
            Result(
                url=_article_url(year, unit.slug),
                title=highlight(own[TITLE][0], every_phrase),
                excerpt=excerpt(passage, every_phrase),
                unit=unit.name,
                published_at=corpus.published_at(index),
                part=part_of(code) if code is not None else None,
            )
        )
    return found


def _meanings(terms: list[Term], matches: list[engine.TermMatch]) -> list:
    meanings = []
    for term, match in zip(terms, matches, strict=True):
        others = [(phrase, how) for phrase, how in term.alternatives if how != TYPED and phrase in match.found]
        if others:
            meanings.append((term.typed, others))
    return meanings


def suggest(text: str, corpus: Corpus) -> str | None:
    """A query that finds something, close to one that found nothing ("您是不是要找")."""
    terms = parse(text, corpus.synonyms)
    if not terms:
        return None
    fixed = []
    for term in terms:
        if _count([term], corpus):
            fixed.append(term.typed)
            continue
        replacement = next(
            (word for word in vocabulary.one_edit_away(term.typed) if _count(parse(word, corpus.synonyms), corpus)),
            None,
        )
        if replacement is None:
            break
        fixed.append(replacement)
    else:
        if fixed != [term.typed for term in terms] and _count(parse(" ".join(fixed), corpus.synonyms), corpus):
            return " ".join(fixed)
    # Every term finds reports, but not together: the term that finds most.
    if len(terms) > 1:
        count, word = max((_count([term], corpus), term.typed) for term in terms)
        if count:
            return word
    return None


def _count(terms: list[Term], corpus: Corpus) -> int:
    return engine.combine(engine.match_terms(terms, corpus), corpus).count


def search(text: str, filters: engine.Filters, page_number, corpus: Corpus) -> Results:
    """Run the query ``text`` over the published reports of ``corpus``."""
    terms = parse(text, corpus.synonyms)
    matches = engine.match_terms(terms, corpus)
    hits = engine.combine(matches, corpus)
    chosen = engine.selected(hits, filters, corpus)
    unchecked = np.flatnonzero(chosen & hits.unchecked)
    if 0 < len(unchecked) <= engine.CHECK_LIMIT:
        engine.check(terms, matches, unchecked, corpus)
        hits = engine.combine(matches, corpus)
        chosen = engine.selected(hits, filters, corpus)
    ordered = engine.ranked(chosen, hits)
    page = _page(ordered, page_number)
    found = Results(
        terms=terms,
        count=len(ordered),
        exact=not (chosen & hits.unchecked).any(),
        page=page,
        results=_results(page, hits, terms, matches, corpus),
        facets=_facets(engine.facet_counts(hits, filters, corpus), filters, corpus),
        meanings=_meanings(terms, matches),
    )
    if not hits.count and terms:
        found.suggestion = suggest(text, corpus)
    return found
