"""What the public site reads: published reports, as their public revisions have them.

Everything here starts from ``Report.objects.published()``, the one rule of what is public;
titles, texts and tags come from the public revision, never from the working copy.
"""

from dataclasses import dataclass, fields
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr

from reports.models import PublicEdition, Report, Revision, RevisionTag
from reports.search.corpus import Corpus
from reports.search.corpus import current as current_corpus
from reports.search.engine import Filters
from reports.search.results import Results
from reports.search.results import search as run_search

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

    def reports_for(ids: list[int]) -> dict:
        return {report.pk: report for report in public_reports().filter(pk__in=ids)}

    return run_search(text, filters, page_number, corpus, reports_for)


def tagged(reports: QuerySet, name: str) -> QuerySet:
    """Those of published ``reports`` whose public revision carries the tag ``name``."""
    return reports.filter(Exists(RevisionTag.objects.filter(revision=OuterRef("public_revision_id"), name=name)))


def public_tag_names() -> list[str]:
    """Names of the tags the public revisions carry, in one query."""
    public_revisions = Report.objects.published().values("public_revision_id")
    names = RevisionTag.objects.filter(revision__in=public_revisions).values_list("name", flat=True)
    return list(names.order_by("name").distinct())


def facets() -> dict:
    """Organizations and years that have published reports, with counts, in one query."""
    rows = Report.objects.published().values_list(
        "year", "organization__slug", "organization__name", "organization__order"
    )
    years: dict[int, int] = {}
    organizations: dict[str, dict] = {}
    for year, slug, name, order in rows:
        years[year] = years.get(year, 0) + 1
        entry = organizations.setdefault(slug, {"slug": slug, "name": name, "order": order, "count": 0})
        entry["count"] += 1
    return {
        "years": [{"year": year, "count": count} for year, count in sorted(years.items(), reverse=True)],
        "organizations": sorted(organizations.values(), key=lambda entry: (entry["order"], entry["name"])),
    }


@dataclass(frozen=True)
class PublicReport:
    """What an article needs to know about a published report before rendering anything."""

    id: int
    organization_id: int
    year: int
    view_count: int
    public_revision_id: int
    public_since: datetime
    first_published_at: datetime | None
    imported_published_at: datetime | None
    edition: int
    due: int

    @property
    def published_at(self) -> datetime:
        """When the report first went public on this portal."""
        return self.first_published_at or self.public_since

    @property
    def updated_at(self) -> datetime | None:
        """When the public revision took effect, if that was a republication."""
        return self.public_since if self.public_since > self.published_at else None

    @property
    def public_state(self) -> tuple[int, int]:
        """``reports.models.public_state()`` as read in the same statement."""
        return self.edition, self.due


def public_report(*, year: int, org: str) -> PublicReport | None:
    """The published report at this address, with the public state, in one query."""
    rows = (
        Report.objects.published()
        .filter(year=year, organization__slug=org)
        .annotate(**PublicEdition.state_expressions())
        .order_by()
        .values(*[field.name for field in fields(PublicReport)])[:1]
    )
    return next((PublicReport(**row) for row in rows), None)


def other_years(report: PublicReport) -> dict:
    """The same organization's published reports of the nearest earlier and later years, in one query."""
    others = public_reports().filter(organization_id=report.organization_id).exclude(pk=report.id)
    found = list(others.order_by("year").values("year", "public_title"))
    earlier = [entry for entry in found if entry["year"] < report.year]
    later = [entry for entry in found if entry["year"] > report.year]
    return {"earlier": earlier[-1] if earlier else None, "later": later[0] if later else None}
