"""The article page: a published report exactly as its public revision has it.

The body is rendered from the revision's snapshot alone (``render_article_body``), so it
can be cached per revision; the page around it adds the live view count.
"""

from dataclasses import dataclass, fields
from datetime import datetime

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import rendering
from reports.compiled import SENTINEL_TIME, CompiledQuery
from reports.history import public_update_notes
from reports.models import Report, Revision, WorkflowAction
from reports.views.preferences import current_font_size
from reports.views.queries import with_first_publication

PUBLICATION_ACTIONS = (WorkflowAction.PUBLISH, WorkflowAction.WITHDRAW)


def report_detail(request, year: int, org: str):
    # PublicPagesMiddleware may have just read it: the same query need not run twice.
    read = getattr(request, "public_report_read", None)
    report = read[1] if read and read[0] == (year, org) else public_report(year=year, org=org)
    if report is None:
        return _not_public(request, year=year, org=org)
    # HEAD requests (link checkers, monitors) are not readers.
    view_count = count_view(report.id) if request.method == "GET" else report.view_count

    def render_page(view_count) -> str:
        content = Revision.objects.values_list("content", flat=True).get(pk=report.public_revision_id)
        context = article_context(
            request,
            content,
            published_at=report.published_at,
            updated_at=report.updated_at,
            view_count=view_count,
            body_html=rendering.cached_body(report.public_revision_id, lambda: render_article_body(content)),
        )
        context["neighbours"] = _neighbours(report, org)
        # Only a republication can have update notes, so a first edition costs no query for them.
        context["update_notes"] = (
            public_update_notes(Report(pk=report.id), report.public_revision_id) if report.updated_at else []
        )
        return render_to_string("reports/report_detail.html", context, request)

    if request.GET:
        return HttpResponse(render_page(view_count))
    facts = page_facts(request, report)
    page = rendering.cached_page(facts, lambda: render_page(rendering.VIEW_COUNT_MARK), request=request)
    if page is None:
        return HttpResponse(render_page(view_count))
    # Lets PublicPagesMiddleware keep this response's headers for the same facts.
    request.cached_page_facts = facts
    return HttpResponse(page.with_view_count(view_count))


@dataclass(frozen=True)
class PublicReport:
    """What the article page needs to know about a published report, read in one query."""

    id: int
    view_count: int
    first_published_at: datetime | None
    public_revision_id: int
    public_since: datetime
    published_at: datetime
    earlier_revision_id: int | None
    later_revision_id: int | None

    @property
    def updated_at(self) -> datetime | None:
        """When the public revision took effect, if that was a republication."""
        republished = self.first_published_at is not None and self.public_since > self.first_published_at
        return self.public_since if republished else None


def page_facts(request, report: PublicReport) -> tuple:
    """Everything the page shows besides the view count (see reports/rendering.py).

    All of it was just read from the database or the request, so a page cached under
    these facts is the page as of now.
    """
    return (
        report.public_revision_id,
        report.published_at,
        report.updated_at,
        report.earlier_revision_id,
        report.later_revision_id,
        current_font_size(request),
        request.scheme,
        request.get_host(),
    )


def _public_report_query(*, year: int, org: str, at) -> QuerySet:
    same_organization = Report.objects.published(at).filter(organization_id=OuterRef("organization_id"))
    earlier = same_organization.filter(year__lt=OuterRef("year")).order_by("-year")
    later = same_organization.filter(year__gt=OuterRef("year")).order_by("year")
    reports = with_first_publication(Report.objects.published(at)).filter(year=year, organization__slug=org)
    return reports.annotate(
        earlier_revision_id=Subquery(earlier.values("public_revision_id")[:1]),
        later_revision_id=Subquery(later.values("public_revision_id")[:1]),
    ).values(*[field.name for field in fields(PublicReport)])[:1]


# Compiled once per process: the ORM would otherwise spend longer building this query than
# the database spends running it.
PUBLIC_REPORT = CompiledQuery(
    _public_report_query,
    datetimes=("first_published_at", "public_since", "published_at"),
    year=31337,
    org="\x00org",
    at=SENTINEL_TIME,
)


def public_report(*, year: int, org: str) -> PublicReport | None:
    """The published report at this address, with its public revision and its neighbours', in one query."""
    rows = PUBLIC_REPORT.rows(year=year, org=org, at=timezone.now())
    return PublicReport(**rows[0]) if rows else None


def article_context(
    request, content: dict, *, published_at, updated_at, view_count: int | str, body_html: str | None = None
) -> dict:
    """What the article template needs besides the neighbours; shared with the staff preview."""
    organization = content["organization"]
    list_url = reverse("reports:report_list")
    return {
        "content": content,
        "body_html": render_article_body(content) if body_html is None else body_html,
        "published_at": published_at,
        "updated_at": updated_at,
        "view_count": view_count,
        "page_url": request.build_absolute_uri(
            reverse("reports:report_detail", kwargs={"year": content["year"], "org": organization["slug"]})
        ),
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": list_url},
            {"label": organization["name"], "url": f"{list_url}?org={organization['slug']}"},
            {"label": content["title"], "url": None},
        ],
    }


def render_article_body(content: dict) -> str:
    """The HTML of a report's body: a pure function of one snapshot, safe to cache by revision."""
    return render_to_string("reports/includes/article_body.html", {"content": content})


def count_view(report_id: int) -> int:
    """Add one view and return the new count, in one atomic statement (UPDATE … RETURNING)."""
    quote = connection.ops.quote_name
    table, column, key = quote(Report._meta.db_table), quote("view_count"), quote("id")
    # Only quoted model names are interpolated; the id is a bound parameter.
    sql = f"UPDATE {table} SET {column} = {column} + 1 WHERE {key} = %s RETURNING {column}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [report_id])
        row = cursor.fetchone()
    return row[0] if row else 0


def _neighbours(report: PublicReport, org: str) -> dict:
    """The same organization's published reports of the nearest earlier and later years."""
    ids = {report.earlier_revision_id, report.later_revision_id} - {None}
    found = (
        {
            pk: (year, title)
            for pk, year, title in Revision.objects.filter(pk__in=ids).values_list("pk", "report__year", "title")
        }
        if ids
        else {}
    )

    def link(revision_id):
        if revision_id not in found:
            return None
        year, title = found[revision_id]
        url = reverse("reports:report_detail", kwargs={"year": year, "org": org})
        return {"year": year, "title": title, "url": url}

    return {"earlier": link(report.earlier_revision_id), "later": link(report.later_revision_id)}


def _not_public(request, *, year: int, org: str):
    """410 Gone for a report that was public and has been withdrawn; 404 for anything else."""
    report = Report.objects.select_related("organization").filter(year=year, organization__slug=org).first()
    if report is None:
        raise Http404(_("没有找到这份报告。"))
    events = report.events.filter(action__in=PUBLICATION_ACTIONS, effective_at__lte=timezone.now()).order_by(
        "-created_at", "-pk"
    )
    latest = events.first()
    if latest is None or latest.action != WorkflowAction.WITHDRAW:
        raise Http404(_("没有找到这份报告。"))
    # A schedule withdrawn before it went live was never public: nothing to announce.
    last_publication = (
        events.filter(action=WorkflowAction.PUBLISH, effective_at__lte=latest.effective_at, revision__isnull=False)
        .select_related("revision")
        .first()
    )
    if last_publication is None:
        raise Http404(_("没有找到这份报告。"))
    context = {
        "title": last_publication.revision.title,
        "withdrawn_at": latest.effective_at,
        "reason": latest.comment if latest.comment_is_public else "",
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": last_publication.revision.title, "url": None},
        ],
    }
    return render(request, "reports/withdrawn.html", context, status=410)
