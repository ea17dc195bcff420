"""What the public site reads: published reports, as their public revisions have them.

Everything here starts from ``Report.objects.published()``, the one rule of what is public;
titles, texts and tags come from the public revision, never from the working copy.
"""

from dataclasses import dataclass, fields, replace
from datetime import datetime
from urllib.parse import urlencode

from django.db import connections, router
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils import timezone

from reports.models import (
    PUBLICATION_ACTIONS,
    Organization,
    PublicEdition,
    Report,
    Revision,
    RevisionTag,
    WorkflowEvent,
)
from reports.public import counter
from reports.search.corpus import Corpus
from reports.search.corpus import current as current_corpus
from reports.search.engine import Filters
from reports.search.results import Results
from reports.search.results import search as run_search
from reports.statement import SENTINEL_NOW, CompiledQuery

EXCERPT_LENGTH = 120


def _public_revision(field: str) -> Subquery:
    # No ordering: Revision's default ordering joins reports_report, whose alias would
    # then shadow the outer query's report inside the subquery.
    return Subquery(Revision.objects.filter(pk=OuterRef("public_revision_id")).order_by().values(field)[:1])


def with_publish_time(reports: QuerySet) -> QuerySet:
    """Annotate ``published_at``: when the report first went public on this portal."""
    return reports.annotate(published_at=Coalesce("first_published_at", "public_since"))


def public_reports() -> QuerySet:
    """Published reports, newest first, with ``public_title`` and ``published_at``."""
    reports = Report.objects.published().select_related("organization").annotate(public_title=_public_revision("title"))
    return with_publish_time(reports).order_by("-published_at", "-year", "-pk")


def with_public_excerpt(reports: QuerySet) -> QuerySet:
    """Add the opening of the public revision's text as ``public_excerpt`` (for feeds)."""
    return reports.annotate(public_excerpt=Substr(_public_revision("search_text"), 1, EXCERPT_LENGTH))


def search_corpus(state: tuple) -> Corpus:
    """The published reports search runs over at the public state ``state``."""
    return current_corpus(state)


def search_reports(text: str, filters: Filters, page_number, corpus: Corpus) -> Results:
    """Published reports of ``corpus`` matching the query ``text`` (see ``reports.search``), one page of them."""
    return run_search(text, filters, page_number, corpus)


def tagged(reports: QuerySet, name: str) -> QuerySet:
    """Those of published ``reports`` whose public revision carries the tag ``name``."""
    return reports.filter(Exists(RevisionTag.objects.filter(revision=OuterRef("public_revision_id"), name=name)))


def public_tag_names() -> list[str]:
    """Names of the tags the public revisions carry, in one query."""
    public_revisions = Report.objects.published().values("public_revision_id")
    names = RevisionTag.objects.filter(revision__in=public_revisions).values_list("name", flat=True)
    return list(names.order_by("name").distinct())


def publishing_units() -> list["PublishingUnit"]:
    """Units with published reports, how many, and their region, in one query (two if a region publishes nothing)."""
    rows = list(
        Report.objects.published()
        .order_by()
        .values_list(
            "organization_id",
            "organization__slug",
            "organization__name",
            "organization__order",
            "organization__parent_id",
        )
        .annotate(count=Count("pk"))
    )
    parents = {row[0]: row[4] for row in rows}
    missing = {parent for parent in parents.values() if parent and parent not in parents}
    while missing:
        found = dict(Organization.objects.filter(pk__in=missing).values_list("pk", "parent_id"))
        parents.update(found)
        missing = {parent for parent in found.values() if parent and parent not in parents}
    units = [
        PublishingUnit(pk, slug, name, order, Organization.region_in(parents, pk), count)
        for pk, slug, name, order, _, count in rows
    ]
    return sorted(units, key=lambda unit: (unit.order, unit.name))


@dataclass(frozen=True)
class PublishingUnit:
    """A unit with published reports (``reports``: how many), under ``region_id``, the top of its parents."""

    id: int
    slug: str
    name: str
    order: int
    region_id: int
    reports: int

    @property
    def url(self) -> str:
        return f"{reverse('reports:report_list')}?{urlencode({'org': self.slug})}"


@dataclass(frozen=True)
class Region:
    """A unit with no parent, and the units under it (itself included) that have published reports."""

    id: int
    slug: str
    name: str
    order: int
    units: int
    reports: int

    @property
    def url(self) -> str:
        return reverse("reports:unit_region", kwargs={"slug": self.slug})


def regions(units: list[PublishingUnit]) -> list[Region]:
    """The regions of ``units``, in their order, with counts, in one query."""
    totals: dict[int, list[int]] = {}
    for unit in units:
        entry = totals.setdefault(unit.region_id, [0, 0])
        entry[0] += 1
        entry[1] += unit.reports
    rows = Organization.objects.filter(pk__in=totals).values_list("pk", "slug", "name", "order")
    found = [Region(pk, slug, name, order, *totals[pk]) for pk, slug, name, order in rows]
    return sorted(found, key=lambda region: (region.order, region.name))


def published_years() -> list[dict]:
    """Years with published reports, newest first, with counts, in one query."""
    rows = Report.objects.published().order_by().values_list("year").annotate(count=Count("pk"))
    return [{"year": year, "count": count} for year, count in sorted(rows, reverse=True)]


def facets() -> dict:
    """Years and units that have published reports, with counts, in two queries."""
    units = publishing_units()
    return {
        "years": published_years(),
        "organizations": [
            {"slug": unit.slug, "name": unit.name, "order": unit.order, "count": unit.reports} for unit in units
        ],
        "units": units,
    }


@dataclass(frozen=True)
class ArticleView:
    """One view of a published article: all a kept page needs, read (and counted) in one statement."""

    id: int
    view_count: int
    edition: int
    due: int

    @property
    def public_state(self) -> tuple[int, int]:
        """``reports.models.public_state()`` as read in the same statement."""
        return self.edition, self.due


@dataclass(frozen=True)
class PublicReport:
    """What rendering an article needs to know about a published report."""

    id: int
    organization_id: int
    year: int
    public_revision_id: int
    public_since: datetime
    first_published_at: datetime | None
    imported_published_at: datetime | None

    @property
    def published_at(self) -> datetime:
        """When the report first went public on this portal."""
        return self.first_published_at or self.public_since

    @property
    def updated_at(self) -> datetime | None:
        """When the public revision took effect, if that was a republication."""
        return self.public_since if self.public_since > self.published_at else None


def _published_at_address(*, now, year, org):
    return Report.objects.published(now).filter(year=year, organization__slug=org).order_by()


def _view_at_address(*, now, year, org):
    found = _published_at_address(now=now, year=year, org=org).annotate(**PublicEdition.state_expressions(now))
    return found.values(*[field.name for field in fields(ArticleView)])[:1]


def _report_at_address(*, now, year, org):
    found = _published_at_address(now=now, year=year, org=org)
    return found.values(*[field.name for field in fields(PublicReport)])[:1]


# Sentinels no request can carry (the address has a four-digit year): each marks where its value goes.
_ADDRESS = {"now": SENTINEL_NOW, "year": 32123, "org": "\x00org"}
_VIEW_AT_ADDRESS = CompiledQuery(_view_at_address, **_ADDRESS)
_COUNTED_VIEW_AT_ADDRESS = CompiledQuery(_view_at_address, wrap=counter.counting, **_ADDRESS)
_REPORT_AT_ADDRESS = CompiledQuery(_report_at_address, **_ADDRESS)


def article_view(*, year: int, org: str, count_view: bool) -> ArticleView | None:
    """The published article at this address with the public state, in one statement.

    ``count_view``: count this view (``reports.public.counter``), and ``view_count`` is the
    count to show with it; on PostgreSQL without a view buffer the same statement writes it.
    """
    now = timezone.now()
    using = router.db_for_write(Report) if count_view else router.db_for_read(Report)
    if count_view and counter.counts_in_lookup(connections[using]):
        then = counter.without_waiting_for_the_disk(connections[using])
        rows = _COUNTED_VIEW_AT_ADDRESS.rows(using, then=then, now=now, year=year, org=org)
        return ArticleView(**rows[0]) if rows else None
    rows = _VIEW_AT_ADDRESS.rows(using, now=now, year=year, org=org)
    if not rows:
        return None
    view = ArticleView(**rows[0])
    return replace(view, view_count=counter.count_view(view.id, view.view_count, using)) if count_view else view


def public_report(*, year: int, org: str) -> PublicReport | None:
    """The published report at this address, as rendering its article needs it, in one query."""
    rows = _REPORT_AT_ADDRESS.rows(router.db_for_read(Report), now=timezone.now(), year=year, org=org)
    return PublicReport(**rows[0]) if rows else None


def other_years(report: PublicReport) -> dict:
    """The same organization's published reports of the nearest earlier and later years, in one query."""
    others = public_reports().filter(organization_id=report.organization_id).exclude(pk=report.id)
    found = list(others.order_by("year").values("year", "public_title", "public_revision_id"))
    earlier = [entry for entry in found if entry["year"] < report.year]
    later = [entry for entry in found if entry["year"] > report.year]
    return {"earlier": earlier[-1] if earlier else None, "later": later[0] if later else None}


def organizations_with_years() -> list[dict]:
    """Organizations with published reports, each with its report years newest first, in one query."""
    rows = (
        Report.objects.published()
        .order_by()
        .values_list("organization__slug", "organization__name", "organization__order", "year")
    )
    organizations: dict[str, dict] = {}
    for slug, name, order, year in rows:
        entry = organizations.setdefault(slug, {"slug": slug, "name": name, "order": order, "years": []})
        entry["years"].append(year)
    for entry in organizations.values():
        entry["years"].sort(reverse=True)
    return sorted(organizations.values(), key=lambda entry: (entry["order"], entry["name"]))


def public_contents(*, org: str, years: list[int]) -> dict[int, dict]:
    """The public revisions' snapshots of one unit's reports of ``years``, by year, in two queries."""
    found = dict(
        Report.objects.published()
        .filter(organization__slug=org, year__in=years)
        .order_by()
        .values_list("year", "public_revision_id")
    )
    contents = dict(Revision.objects.filter(pk__in=found.values()).order_by().values_list("pk", "content"))
    return {year: contents[pk] for year, pk in found.items()}


def last_public_change() -> datetime | None:
    """When the public site last changed: the latest publication or withdrawal in effect, or organization edit.

    A withdrawal or a rename changes lists without any report's ``public_since`` moving, so
    a ``Last-Modified`` built on this never lets a client keep a copy that is no longer true.
    """
    events = WorkflowEvent.objects.filter(action__in=PUBLICATION_ACTIONS, effective_at__lte=timezone.now())
    moments = [
        events.aggregate(latest=Max("effective_at"))["latest"],
        Organization.objects.aggregate(latest=Max("updated_at"))["latest"],
    ]
    return max((moment for moment in moments if moment is not None), default=None)
