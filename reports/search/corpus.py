"""The published reports a search runs over, as of the current public state.

Search finds revisions in the postings; this says which of them are public right now, and
of which report, year and unit, read through ``Report.objects.published()`` like every
public page, with the editors' synonyms. It changes only when ``public_state()`` does
(synonyms advance the public edition too), so each process keeps the one for the current
state (a few megabytes at tens of thousands of reports) and reads it again after a
publication, a withdrawal, a schedule coming due, a unit or a synonym changed.

Reports are held in the order of the public lists (newest first), so a report's position
is also its rank among equals in results.
"""

import functools
import threading
from array import array
from collections import Counter
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce

from reports.models import Organization, Report, SynonymGroup, public_state
from reports.search.query import Synonyms


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    slug: str
    region_id: int  # the top of the unit's chain of parents (itself when it has none)
    order: int


@dataclass
class Corpus:
    state: tuple
    report_ids: array = field(default_factory=lambda: array("q"))
    revision_ids: array = field(default_factory=lambda: array("q"))
    years: array = field(default_factory=lambda: array("H"))
    units: array = field(default_factory=lambda: array("q"))
    published: list = field(default_factory=list)  # when each report first went public here
    # revision id -> position of its report in the lists above, its year and its unit
    position: dict[int, int] = field(default_factory=dict)
    year_of: dict[int, int] = field(default_factory=dict)
    unit_of: dict[int, int] = field(default_factory=dict)
    # revision ids by year, by unit and by region, for filters
    by_year: dict[int, set[int]] = field(default_factory=dict)
    by_unit: dict[int, set[int]] = field(default_factory=dict)
    by_region: dict[int, set[int]] = field(default_factory=dict)
    year_totals: Counter = field(default_factory=Counter)
    unit_totals: Counter = field(default_factory=Counter)
    unit_info: dict[int, Unit] = field(default_factory=dict)
    synonyms: Synonyms = field(default_factory=lambda: Synonyms({}))

    def __len__(self) -> int:
        return len(self.report_ids)

    @functools.cached_property
    def unit_rank(self) -> dict[int, int]:
        """Each unit's place in the units' own order (``order``, then id)."""
        ordered = sorted(self.unit_info.values(), key=lambda unit: (unit.order, unit.id))
        return {unit.id: rank for rank, unit in enumerate(ordered)}

    @functools.cached_property
    def unit_by_slug(self) -> dict[str, int]:
        return {unit.slug: unit.id for unit in self.unit_info.values()}

    def region_of(self, index: int) -> int:
        return self.unit_info[self.units[index]].region_id


def _units() -> dict[int, Unit]:
    rows = list(Organization.objects.values_list("pk", "name", "slug", "parent_id", "order"))
    parents = {pk: parent for pk, _, _, parent, _ in rows}
    return {pk: Unit(pk, name, slug, Organization.region_in(parents, pk), order) for pk, name, slug, _, order in rows}


def build(state: tuple) -> Corpus:
    groups = [group.term_list() for group in SynonymGroup.objects.all()]
    corpus = Corpus(state=state, unit_info=_units(), synonyms=Synonyms.from_groups(groups))
    rows = (
        Report.objects.published()
        .annotate(published_at=Coalesce("first_published_at", "public_since"))
        .order_by("-published_at", "-year", "-pk")
        .values_list("pk", "public_revision_id", "year", "organization_id", "published_at")
    )
    for index, (report_id, revision_id, year, unit_id, published) in enumerate(rows):
        corpus.report_ids.append(report_id)
        corpus.revision_ids.append(revision_id)
        corpus.years.append(year)
        corpus.units.append(unit_id)
        corpus.published.append(published)
        corpus.position[revision_id] = index
        corpus.year_of[revision_id] = year
        corpus.unit_of[revision_id] = unit_id
        corpus.by_year.setdefault(year, set()).add(revision_id)
        corpus.by_unit.setdefault(unit_id, set()).add(revision_id)
        corpus.by_region.setdefault(corpus.unit_info[unit_id].region_id, set()).add(revision_id)
        corpus.year_totals[year] += 1
        corpus.unit_totals[unit_id] += 1
    return corpus


_lock = threading.Lock()
_current: Corpus | None = None


def current(state: tuple | None = None) -> Corpus:
    """The corpus of the public state ``state`` (read now when not given)."""
    global _current
    state = public_state() if state is None else state
    key = (state, _database_identity())
    corpus = _current
    if corpus is None or corpus.state != key:
        with _lock:
            corpus = _current
            if corpus is None or corpus.state != key:
                corpus = _current = build(key)
    return corpus


def forget() -> None:
    """Drop the kept corpus (tests, whose rolled-back ids and states come back)."""
    global _current
    _current = None


def _database_identity() -> tuple:
    from django.db import connection

    settings = connection.settings_dict
    return (connection.vendor, settings.get("HOST"), settings.get("PORT"), str(settings.get("NAME")))
