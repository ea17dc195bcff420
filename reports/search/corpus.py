"""The published reports a search runs over, as of the current public state.

Search finds revisions in the postings; this says which of them are public right now, and
of which report, year and unit, read through ``Report.objects.published()`` like every
public page, with the editors' synonyms. It changes only when ``public_state()`` does
(synonyms advance the public edition too), so each process keeps the one for the current
state and reads it again after a publication, a withdrawal, a schedule coming due, a unit
or a synonym changed.

Reports are held in the order of the public lists (newest first), so a report's position
is also its rank among equals in results. Everything per report is a numpy array indexed by
position (about 30 bytes a report), so that a search works on whole arrays, in C, and
leaves no Python object per report behind.
"""

import functools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db.models.functions import Coalesce

from reports.models import Organization, Report, SynonymGroup, public_state
from reports.search.query import Synonyms

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_NOWHERE = -1


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    slug: str
    region_id: int  # the top of the unit's chain of parents (itself when it has none)
    order: int


def _empty(kind) -> np.ndarray:
    return np.zeros(0, dtype=kind)


@dataclass
class Corpus:
    state: tuple
    revision_ids: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    years: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    units: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    regions: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    # When each report first went public here, in microseconds since 1970 (UTC).
    published_us: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    # revision id -> position, or -1 when the revision is not public (indexed by revision id)
    position_of: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    unit_info: dict[int, Unit] = field(default_factory=dict)
    synonyms: Synonyms = field(default_factory=lambda: Synonyms({}))

    def __len__(self) -> int:
        return len(self.revision_ids)

    def positions(self, revision_ids: np.ndarray) -> np.ndarray:
        """The position of each of ``revision_ids`` (any revisions), -1 for those not public."""
        inside = revision_ids < len(self.position_of)
        found = np.full(len(revision_ids), _NOWHERE, dtype=np.int32)
        found[inside] = self.position_of[revision_ids[inside]]
        return found

    def published_at(self, index: int) -> datetime:
        return _EPOCH + int(self.published_us[index]) * _MICROSECOND

    @functools.cached_property
    def unit_rank(self) -> dict[int, int]:
        """Each unit's place in the units' own order (``order``, then id)."""
        ordered = sorted(self.unit_info.values(), key=lambda unit: (unit.order, unit.id))
        return {unit.id: rank for rank, unit in enumerate(ordered)}

    @functools.cached_property
    def unit_by_slug(self) -> dict[str, int]:
        return {unit.slug: unit.id for unit in self.unit_info.values()}


def _units() -> dict[int, Unit]:
    rows = list(Organization.objects.values_list("pk", "name", "slug", "parent_id", "order"))
    parents = {pk: parent for pk, _, _, parent, _ in rows}
    return {pk: Unit(pk, name, slug, Organization.region_in(parents, pk), order) for pk, name, slug, _, order in rows}


def build(state: tuple) -> Corpus:
    groups = [group.term_list() for group in SynonymGroup.objects.all()]
    unit_info = _units()
    rows = (
        Report.objects.published()
        .annotate(published_at=Coalesce("first_published_at", "public_since"))
        .order_by("-published_at", "-year", "-pk")
        .values_list("public_revision_id", "year", "organization_id", "published_at")
    )
    revisions, years, units, published = [], [], [], []
    for revision_id, year, unit_id, published_at in rows.iterator(chunk_size=2000):
        revisions.append(revision_id)
        years.append(year)
        units.append(unit_id)
        published.append((published_at - _EPOCH) // _MICROSECOND)
    revision_ids = np.array(revisions, dtype=np.int64)
    position_of = np.full(int(revision_ids.max()) + 1 if len(revision_ids) else 0, _NOWHERE, dtype=np.int32)
    position_of[revision_ids] = np.arange(len(revision_ids), dtype=np.int32)
    return Corpus(
        state=state,
        revision_ids=revision_ids,
        years=np.array(years, dtype=np.int32),
        units=np.array(units, dtype=np.int64),
        regions=np.array([unit_info[unit].region_id for unit in units], dtype=np.int64),
        published_us=np.array(published, dtype=np.int64),
        position_of=position_of,
        unit_info=unit_info,
        synonyms=Synonyms.from_groups(groups),
    )


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
