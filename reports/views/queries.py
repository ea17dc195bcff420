"""The published-report querysets every public page starts from.

Everything here is built on ``Report.objects.published()``, the one filter the public
site may use; titles come from the public revision, never from the working copy.
"""

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr

from reports.models import Report, Revision

EXCERPT_LENGTH = 120


def _public_revision(field: str) -> Subquery:
    # No ordering: Revision's default ordering joins reports_report, whose alias would
    # then shadow the outer query's report inside the subquery.
    return Subquery(Revision.objects.filter(pk=OuterRef("public_revision_id")).order_by().values(field)[:1])


def with_first_publication(reports: QuerySet) -> QuerySet:
    """Annotate ``published_at``: when the report first went public, on the old site if it was imported."""
    return reports.annotate(published_at=Coalesce("imported_published_at", "first_published_at", "public_since"))


def with_public_title(reports: QuerySet) -> QuerySet:
    """Annotate ``public_title``: the title as the public revision has it."""
    return reports.annotate(public_title=_public_revision("title"))


def public_reports(at=None) -> QuerySet:
    """Published reports, newest first, with ``public_title`` and ``published_at``."""
    reports = with_public_title(Report.objects.published(at).select_related("organization"))
    return with_first_publication(reports).order_by("-published_at", "-year", "-pk")


def with_public_text(reports: QuerySet) -> QuerySet:
    """Add the public revision's full text as ``public_text`` (for search excerpts)."""
    return reports.annotate(public_text=_public_revision("search_text"))


def with_public_excerpt(reports: QuerySet) -> QuerySet:
    """Add the opening of the public revision's text as ``public_excerpt`` (for feeds)."""
    return reports.annotate(public_excerpt=Substr(_public_revision("search_text"), 1, EXCERPT_LENGTH))


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


def public_tag_names() -> list[str]:
    """Names of the tags that published reports carry, in one query."""
    names = (
        Report.objects.published()
        .filter(tags__isnull=False)
        .values_list("tags__name", flat=True)
        .order_by("tags__name")
        .distinct()
    )
    return list(names)
