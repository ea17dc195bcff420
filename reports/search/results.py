"""A search from start to page: terms, matches, filters, counts, order, the page's passages, a suggestion."""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.urls import reverse

from reports.models import SearchText, SectionKind
from reports.search import engine, vocabulary
from reports.search.corpus import Corpus, Unit
from reports.search.excerpts import best_passage, excerpt, highlight
from reports.search.query import TYPED, Term, parse, terms_of
from reports.search.text import PARTS, TITLE, part_of

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


def _page(ordered: list[int], number) -> Page:
    # The view turns an invalid page number into a 404.
    return Paginator(ordered, PER_PAGE).page(number or 1)


def _facets(counts: dict, filters: engine.Filters, corpus: Corpus) -> Facets:
    units = sorted(counts["units"].items(), key=lambda item: (-item[1], corpus.unit_info[item[0]].order))
    top = units[:TOP_UNITS]
    if filters.unit is not None and filters.unit not in dict(top) and filters.unit in counts["units"]:
        top.append((filters.unit, counts["units"][filters.unit]))
    regions = sorted(counts["regions"].items(), key=lambda item: (corpus.unit_info[item[0]].order, item[0]))
    return Facets(
        years=sorted(counts["years"].items(), reverse=True),
        units=[(corpus.unit_info[unit], count) for unit, count in top],
        regions=[(corpus.unit_info[region], count) for region, count in regions] if len(regions) > 1 else [],
        parts=[(part, counts["parts"][part]) for part in PARTS if counts["parts"][part]],
    )


@functools.lru_cache(maxsize=8192)
def _article_url(year: int, slug: str) -> str:
    return reverse("reports:report_detail", kwargs={"year": year, "org": slug})


def _texts_of(revision_ids: list[int]) -> dict[int, dict[int, tuple[str, str]]]:
    """(text, folded text) of each code of each revision."""
    texts: dict[int, dict[int, tuple[str, str]]] = {}
    rows = SearchText.objects.filter(revision_id__in=revision_ids).values_list("revision_id", "code", "text", "folded")
    for revision_id, code, text, folded in rows:
        texts.setdefault(revision_id, {})[code] = (text, folded or text)
    return texts


def _holds_every_term(texts: dict[int, tuple[str, str]], terms: list[Term]) -> bool:
    return all(any(phrase in folded for _, folded in texts.values() for phrase in term.phrases) for term in terms)


def _results(page: Page, hits: engine.Hits, terms: list[Term], corpus: Corpus) -> list[Result]:
    indexes = list(page.object_list)
    texts = _texts_of([corpus.revision_ids[index] for index in indexes])
    phrase_sets = [term.phrases for term in terms]
    every_phrase = [phrase for phrases in phrase_sets for phrase in phrases]
    found = []
    for index in indexes:
        own = texts.get(corpus.revision_ids[index], {})
        if TITLE not in own or (index in hits.unchecked and not _holds_every_term(own, terms)):
            continue  # a candidate of a long phrase that its text does not bear out
        unit = corpus.unit_info[corpus.units[index]]
        body = {code: pair for code, pair in own.items() if code != TITLE}
        code, passage = best_passage(body, phrase_sets) or (None, next((text for text, _ in body.values()), ""))
        found.append(
            Result(
                url=_article_url(corpus.years[index], unit.slug),
                title=highlight(own[TITLE][0], every_phrase),
                excerpt=excerpt(passage, every_phrase),
                unit=unit.name,
                published_at=corpus.published[index],
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
    typed = terms_of(text)
    if not typed:
        return None
    terms = parse(text, corpus.synonyms)
    matches = engine.match_terms(terms, corpus)
    fixed = []
    for term, match in zip(terms, matches, strict=True):
        if match.sure or match.unchecked:
            fixed.append(term.typed)
            continue
        replacement = None
        for word in vocabulary.one_edit_away(term.typed):
            alternative = parse(word, corpus.synonyms)
            if _count(alternative, corpus):
                replacement = word
                break
        if replacement is None:
            break
        fixed.append(replacement)
    else:
        if fixed != typed and _count(parse(" ".join(fixed), corpus.synonyms), corpus):
            return " ".join(fixed)
    # Every term finds reports, but not together: the best single term.
    if len(typed) > 1:
        counts = [(_count(parse(word, corpus.synonyms), corpus), word) for word in typed]
        count, word = max(counts)
        if count:
            return word
    return None


def _count(terms: list[Term], corpus: Corpus) -> int:
    matches = engine.match_terms(terms, corpus)
    return len(engine.combine(matches).indexes)


def search(text: str, filters: engine.Filters, page_number, corpus: Corpus) -> Results:
    """Run the query ``text`` over the published reports of ``corpus``."""
    terms = parse(text, corpus.synonyms)
    matches = engine.match_terms(terms, corpus)
    hits = engine.combine(matches)
    selected = engine.selected(hits, filters, corpus)
    unchecked = [index for index in selected if index in hits.unchecked] if hits.unchecked else []
    if unchecked and len(unchecked) <= engine.CHECK_LIMIT:
        engine.check(terms, matches, unchecked, corpus)
        hits = engine.combine(matches)
        selected = engine.selected(hits, filters, corpus)
    exact = not hits.unchecked or not any(index in hits.unchecked for index in selected)
    ordered = engine.ranked(selected, hits.headings)
    page = _page(ordered, page_number)
    results = _results(page, hits, terms, corpus)
    found = Results(
        terms=terms,
        count=len(ordered),
        exact=exact,
        page=page,
        results=results,
        facets=_facets(engine.facet_counts(hits, filters, corpus), filters, corpus),
        meanings=_meanings(terms, matches),
    )
    if not hits.indexes and terms:
        found.suggestion = suggest(text, corpus)
    return found
